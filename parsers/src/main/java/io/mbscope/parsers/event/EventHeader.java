package io.mbscope.parsers.event;

/**
 * What every event carries besides its payload.
 *
 * @param timestampNs trace clock in nanoseconds (text formats give microseconds: the last three digits are 0)
 * @param cpu         CPU the event fired on (mballoc's locality groups are per CPU)
 * @param pid         process id (common_pid), -1 if unknown
 * @param comm        command name, or null where the format does not give one
 */
public record EventHeader(long timestampNs, int cpu, int pid, String comm) {
}
