package io.mbscope.cli;

/** Output formats shared by the subcommands. */
public enum Output {
    text, csv, json
}
