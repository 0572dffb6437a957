package dev.vigil.guard;

import dev.vigil.guard.fence.FenceList;
import dev.vigil.guard.fence.ProcStat;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A stand-in daemon in its own process, so tests can SIGKILL or SIGSTOP a real guard client:
 * connects, arms "pg" to kill the given process, prints ARMED, then feeds every 100 ms forever.
 * Arguments: socket, guard-timeout in ms, PID to fence.
 */
public final class ArmingClientMain {
    private ArmingClientMain() {
    }

    public static void main(String[] args) throws Exception {
        Path socket = Path.of(args[0]);
        GuardClient client = new GuardClient(socket, socket.resolveSibling("guard.pid"),
                socket.resolveSibling("guard.log"), "n1", GuardClient.Launch.ofThisJvm());
        GuardReply hello = client.connect();
        if (!hello.ok()) {
            System.out.println("FAILED " + hello.message());
            System.exit(1);
        }
        ProcStat victim = ProcStat.read(Long.parseLong(args[2])).orElseThrow();
        GuardReply armed = client.arm("pg", Duration.ofMillis(Long.parseLong(args[1])), Duration.ofMillis(200),
                System.nanoTime(), FenceList.empty().withKill(FenceList.KillTarget.of(victim, "postmaster")));
        System.out.println(armed.ok() ? "ARMED" : "FAILED " + armed.message());
        System.out.flush();
        while (true) {
            Thread.sleep(100);
            client.feed("pg", System.nanoTime());
        }
    }
}
