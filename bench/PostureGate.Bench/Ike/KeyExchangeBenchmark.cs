// Diffie-Hellman cost per IKE SA: one key pair plus one agreement ("keygen+agree")
// per group, as operations per second. The baseline, measured in the same run,
// is the same MODP-2048 work done with BigInteger.ModPow (the managed path the
// libcrypto one replaces); every row prints its ratio to it.
using System.Diagnostics;
using PostureGate.Ike.Crypto.KeyExchange;
using PostureGate.Proposals;

namespace PostureGate.Bench.Ike;

public sealed class KeyExchangeBenchmark : IBenchmark
{
    public string Name => "ike-keyexchange";

    public string Description => "DH keygen+agree per second per group (14,15,16,19,20,21,31) vs BigInteger.ModPow MODP-2048 [seconds per row, default 1]";

    public int Run(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], out var s) ? s : 1.0;
        Console.WriteLine($"libcrypto BN available: {LibCryptoModExp.IsAvailable}");
        Console.WriteLine("each row alternates slices of the group and of the baseline, so both see the same machine load");
        Console.WriteLine($"{"",-28} {"ops/s",10} {"baseline",10} {"ratio",7}");

        var rc = 0;
        foreach (var method in (KeyExchangeMethod[])[
            KeyExchangeMethod.Modp2048, KeyExchangeMethod.Modp3072, KeyExchangeMethod.Modp4096,
            KeyExchangeMethod.Ecp256, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521,
            KeyExchangeMethod.Curve25519])
        {
            using var peer = KeyExchange.Create(method);
            var peerValue = peer.PublicValue.ToArray();
            var failed = false;
            var (rate, baseline) = MeasureInterleaved(seconds, () =>
            {
                using var kx = KeyExchange.Create(method);
                failed |= !kx.TryComputeSharedSecret(peerValue, out _);
            }, ManagedModp2048Once);
            if (failed)
            {
                Console.Error.WriteLine($"{method}: agreement with a valid peer value failed");
                rc = 1;
            }
            Console.WriteLine($"{$"group {(ushort)method} {method}",-28} {rate,10:F0} {baseline,10:F0} {rate / baseline,6:F2}x");
        }
        Console.WriteLine("baseline: BigInteger.ModPow MODP-2048 keygen+agree (the managed fallback)");
        return rc;
    }

    private static readonly byte[] s_peer2048 = CreatePeer2048();

    private static byte[] CreatePeer2048()
    {
        using var peer = KeyExchange.Create(KeyExchangeMethod.Modp2048);
        return peer.PublicValue.ToArray();
    }

    /// <summary>The same two exponentiations a MODP-2048 key exchange does, on BigInteger.</summary>
    private static void ManagedModp2048Once()
    {
        var group = ModpGroup.Modp2048;
        Span<byte> exponent = stackalloc byte[group.ExponentLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(exponent);
        Span<byte> publicValue = stackalloc byte[group.Length];
        Span<byte> secret = stackalloc byte[group.Length];
        ModpKeyExchange.ManagedModPow(group, [2], exponent, publicValue);
        ModpKeyExchange.ManagedModPow(group, s_peer2048, exponent, secret);
    }

    /// <summary>
    /// Warm both up, then run ten alternating slices of each for the given total
    /// wall time; returns calls per second of each.
    /// </summary>
    private static (double Candidate, double Baseline) MeasureInterleaved(double seconds, Action candidate, Action baseline)
    {
        for (var i = 0; i < 5; i++)
        {
            candidate();
            baseline();
        }
        var slice = seconds / 20;
        double candidateCalls = 0, candidateTime = 0, baselineCalls = 0, baselineTime = 0;
        for (var round = 0; round < 10; round++)
        {
            var (c, ct) = Slice(slice, candidate);
            candidateCalls += c;
            candidateTime += ct;
            var (b, bt) = Slice(slice, baseline);
            baselineCalls += b;
            baselineTime += bt;
        }
        return (candidateCalls / candidateTime, baselineCalls / baselineTime);
    }

    private static (int Calls, double Seconds) Slice(double seconds, Action once)
    {
        var sw = Stopwatch.StartNew();
        var calls = 0;
        do
        {
            once();
            calls++;
        }
        while (sw.Elapsed.TotalSeconds < seconds);
        return (calls, sw.Elapsed.TotalSeconds);
    }
}
