// Full dial-up setups in one process: IKE_SA_INIT + IKE_AUTH with EAP-MSCHAPv2 + CP + CHILD_SA,
// a responder IkeSaManager and an initiator IkeSaManager wired by a queue (no sockets).
// Reported per DH group (14, 19, 31): setups per second (both sides, one thread) and the
// responder's CPU per SA (thread CPU time around the responder's ProcessDatagram calls only),
// beside a baseline measured in the same run: one raw key exchange (key pair + shared secret),
// the least a responder must do per SA. strongSwan's gateway measured in the lab: 2.7 ms CPU
// per SA with modp2048, 0.8–1.0 ms with x25519; the goal is under half of that.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using PostureGate.Ike.Config;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Ike.Kernel;
using PostureGate.Ike.Sa;
using PostureGate.Liveness;
using PostureGate.Net;
using PostureGate.Proposals;

namespace PostureGate.Bench.Ike;

public sealed class IkeSetupBenchmark : IBenchmark
{
    public string Name => "ike-setup";

    public string Description => "IKE_SA_INIT+EAP-MSCHAPv2+CHILD_SA setups/s and responder CPU per SA vs raw key exchange";

    private static readonly IPAddress Gw = IPAddress.Parse("198.51.100.1");
    private static readonly IPAddress Cl = IPAddress.Parse("198.51.100.2");

    public int Run(string[] args)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200;
        (KeyExchangeMethod Group, double StrongSwanMs)[] groups =
            [(KeyExchangeMethod.Modp2048, 2.7), (KeyExchangeMethod.Ecp256, double.NaN), (KeyExchangeMethod.Curve25519, 0.9)];
        var rc = 0;
        foreach (var (group, swan) in groups)
        {
            Setups(group, 60); // warm-up past tier-0 JIT (30 calls) and the first GCs
            Baseline(group, 60);
            ByStep.Clear();
            ByStepAlloc.Clear();
            var (ok, wallMs, responderCpuMs, responderBytes) = Setups(group, count);
            var baseCpuMs = Baseline(group, count);
            if (ok != count)
            {
                Console.WriteLine($"group {(ushort)group}: only {ok}/{count} setups succeeded");
                rc = 1;
            }
            var perSa = responderCpuMs / count;
            var perKe = baseCpuMs / count;
            var c = CultureInfo.InvariantCulture;
            var line = string.Format(c, "group {0,2} ({1}): {2:F0} setups/s (both ends, 1 thread); responder CPU {3:F3} ms/SA; " +
                "baseline raw key exchange {4:F3} ms; ratio {5:F2}x; responder allocates {6:F1} KB/SA", (ushort)group, FortiOsProposals.DhGroupName(group),
                count / (wallMs / 1000), perSa, perKe, perSa / perKe, responderBytes / 1024.0 / count);
            if (!double.IsNaN(swan))
                line += string.Format(c, "; strongSwan {0} ms/SA, goal < {1:F2} ms: {2}", swan, swan / 2, perSa < swan / 2 ? "met" : "NOT met");
            Console.WriteLine(line);
            if (Environment.GetEnvironmentVariable("PG_BENCH_STEPS") == "1")
                foreach (var kv in ByStep.OrderBy(k => k.Key))
                    Console.WriteLine($"   exchange {kv.Key / 100} msg {kv.Key % 100}: {kv.Value / 1e6 / count:F3} ms, {ByStepAlloc.GetValueOrDefault(kv.Key) / 1024.0 / count:F1} KB");
            ByStep.Clear();
        }
        return rc;
    }

    private static IkePeerConfig Config(KeyExchangeMethod group, bool gateway)
    {
        FortiOsProposals.TryGetPhase1("aes128-sha256", out var p1);
        FortiOsProposals.TryGetPhase2("aes128-sha256", out var p2);
        return new IkePeerConfig
        {
            Name = gateway ? "dialup" : "fgt",
            Proposals = [p1],
            DhGroups = [group],
            Psk = "bench-psk"u8.ToArray(),
            LocalId = gateway ? IkeIdentity.Fqdn("gw.pg.example") : null,
            EapEnabled = true,
            EapPasswordLookup = u => u == "alice" ? "alice-password" : null,
            AddressPool = gateway ? new AddressPool(Ipv4Range.Parse("10.0.0.1", "10.0.255.254")) : null,
            DnsServers = gateway ? [IPAddress.Parse("203.0.113.53")] : [],
            SplitInclude = gateway ? [Ipv4Subnet.Parse("203.0.113.0/24")] : [],
            DpdMode = DpdMode.Disable,
            Children = [new ChildConfig { Name = "DY", Proposals = [p2] }],
        };
    }

    public static readonly Dictionary<int, long> ByStep = [];
    public static readonly Dictionary<int, long> ByStepAlloc = [];

    private static (int Ok, double WallMs, double ResponderCpuMs, long ResponderBytes) Setups(KeyExchangeMethod group, int count)
    {
        var queue = new Queue<(byte[] Bytes, IPEndPoint From, IPEndPoint To)>();
        var sender = new QueueSender(queue);
        using var gateway = new IkeSaManager([Config(group, gateway: true)], sender, new InMemoryChildSaInstaller { KeepJournal = false });
        using var client = new IkeSaManager([], sender, new InMemoryChildSaInstaller { KeepJournal = false });
        var ok = 0;
        var responderCpu = 0L;
        var responderBytes = 0L;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var task = client.InitiateAsync(new IkeInitiatorOptions
            {
                Config = Config(group, gateway: false),
                Local = new IPEndPoint(Cl, 1024 + i % 60000),
                Remote = new IPEndPoint(Gw, 500),
                EapUser = "alice",
                EapPassword = "alice-password",
                InitialContact = false,
                ForceEncapsulation = true,
            });
            while (queue.TryDequeue(out var d))
            {
                if (d.To.Address.Equals(Gw))
                {
                    var allocated = GC.GetAllocatedBytesForCurrentThread();
                    var start = ThreadCpu.NowNs();
                    gateway.ProcessDatagram(d.Bytes, d.To, d.From);
                    var spent = ThreadCpu.NowNs() - start;
                    allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
                    responderCpu += spent;
                    responderBytes += allocated;
                    var key = d.Bytes[18] * 100 + d.Bytes[23];
                    ByStep[key] = ByStep.GetValueOrDefault(key) + spent;
                    ByStepAlloc[key] = ByStepAlloc.GetValueOrDefault(key) + allocated;
                }
                else
                {
                    client.ProcessDatagram(d.Bytes, d.To, d.From);
                }
            }
            if (task.IsCompletedSuccessfully && task.Result.Success)
                ok++;
            // Keep the tables small; the deletes are not part of the setup.
            gateway.Clear();
            client.Clear();
            queue.Clear();
        }
        return (ok, wall.Elapsed.TotalMilliseconds, responderCpu / 1e6, responderBytes);
    }

    private static double Baseline(KeyExchangeMethod group, int count)
    {
        using var peer = KeyExchange.Create(group);
        var peerPublic = peer.PublicValue.ToArray();
        var cpu = 0L;
        for (var i = 0; i < count; i++)
        {
            var start = ThreadCpu.NowNs();
            using var ke = KeyExchange.Create(group);
            _ = ke.PublicValue.Length;
            if (!ke.TryComputeSharedSecret(peerPublic, out var secret))
                throw new InvalidOperationException("baseline key exchange failed");
            cpu += ThreadCpu.NowNs() - start;
            Array.Clear(secret);
        }
        return cpu / 1e6;
    }

    private sealed class QueueSender(Queue<(byte[], IPEndPoint, IPEndPoint)> queue) : IIkeSender
    {
        public void Send(ReadOnlyMemory<byte> ikeMessage, IPEndPoint local, IPEndPoint remote) =>
            queue.Enqueue((ikeMessage.ToArray(), local, remote));
    }

    /// <summary>CLOCK_THREAD_CPUTIME_ID (Linux): CPU of this thread only; falls back to the process total.</summary>
    private static class ThreadCpu
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Timespec
        {
            public long Sec;
            public long Nsec;
        }

        [DllImport("libc", EntryPoint = "clock_gettime")]
        private static extern int ClockGetTime(int clock, out Timespec ts);

        private const int ClockThreadCpuTime = 3;

        public static long NowNs()
        {
            if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var ts) == 0)
                return ts.Sec * 1_000_000_000 + ts.Nsec;
            return Process.GetCurrentProcess().TotalProcessorTime.Ticks * 100;
        }
    }
}
