package dev.vigil.guard.fence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * SIGKILLs processes by identity (PID and start time), with everything they started: descendants,
 * and the members of their process group when they lead one (PostgreSQL backends are children of
 * the postmaster). Children forked while the killing runs are caught by scanning again.
 */
final class ProcessKiller {

    private static final int MAX_ROUNDS = 10;
    private static final long POLL_NANOS = 1_000_000;

    /** What was killed (or why not), and the processes whose death to wait for. */
    record Outcome(List<String> steps, List<ProcStat> victims) {
    }

    private ProcessKiller() {
    }

    static Outcome kill(List<FenceList.KillTarget> targets) {
        List<String> steps = new ArrayList<>();
        List<ProcStat> table = ProcStat.all();
        Map<Long, ProcStat> byPid = new HashMap<>();
        table.forEach(p -> byPid.put(p.pid(), p));
        Map<Long, ProcStat> victims = new LinkedHashMap<>();
        Set<Long> groups = new HashSet<>();
        int listed = 0;
        for (FenceList.KillTarget k : targets) {
            ProcStat p = byPid.get(k.pid());
            if (p == null || p.state() == 'Z') {
                List<ProcStat> left = table.stream().filter(q -> q.pgrp() == k.pid() && q.state() != 'Z').toList();
                left.forEach(q -> victims.put(q.pid(), q));
                if (!left.isEmpty()) {
                    groups.add(k.pid());
                }
                steps.add(k.label() + " pid " + k.pid() + " was already gone"
                        + (left.isEmpty() ? "" : "; killed the " + left.size() + " processes left in its group"));
            } else if (p.startTicks() != k.startTicks()) {
                steps.add("pid " + k.pid() + " is now another process (\"" + p.comm() + "\"), not " + k.label()
                        + ": not killed");
            } else {
                victims.put(p.pid(), p);
                if (p.pgrp() == p.pid()) {
                    groups.add(p.pid());
                }
                listed++;
                steps.add("killed " + k.label() + " pid " + k.pid());
            }
        }
        addFamily(table, victims, groups);
        victims.values().forEach(ProcessKiller::sigkill);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            int before = victims.size();
            addFamily(ProcStat.all(), victims, groups);
            if (victims.size() == before) {
                break;
            }
            victims.values().forEach(ProcessKiller::sigkill);
        }
        int extra = victims.size() - listed;
        if (extra > 0) {
            steps.add("killed " + extra + " descendant or group member processes");
        }
        return new Outcome(steps, new ArrayList<>(victims.values()));
    }

    /** Adds descendants of victims and members of the listed groups, never this process or PID 1. */
    private static void addFamily(List<ProcStat> table, Map<Long, ProcStat> victims, Set<Long> groups) {
        long self = ProcessHandle.current().pid();
        boolean grew = true;
        while (grew) {
            grew = false;
            for (ProcStat q : table) {
                if (victims.containsKey(q.pid()) || q.pid() == self || q.pid() == 1 || q.state() == 'Z') {
                    continue;
                }
                if (victims.containsKey(q.ppid()) || groups.contains(q.pgrp())) {
                    victims.put(q.pid(), q);
                    grew = true;
                }
            }
        }
    }

    /** SIGKILL, only if the PID still belongs to the same process (start time checked just before). */
    static void sigkill(ProcStat p) {
        if (p.pid() == ProcessHandle.current().pid() || p.pid() == 1) {
            return;
        }
        Optional<ProcStat> now = ProcStat.read(p.pid());
        if (now.isEmpty() || now.get().startTicks() != p.startTicks()) {
            return;
        }
        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Waits until every victim is gone or the deadline passes; returns those still running. */
    static List<ProcStat> awaitGone(List<ProcStat> victims, long deadlineNanos) {
        List<ProcStat> alive = new ArrayList<>(victims);
        while (true) {
            alive.removeIf(ProcStat::gone);
            if (alive.isEmpty() || System.nanoTime() >= deadlineNanos) {
                return alive;
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
