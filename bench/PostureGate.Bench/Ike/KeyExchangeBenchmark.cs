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
        Console.WriteLine($"{"",-32} {"ops/s",10} {"baseline",10} {"ratio",7}");

        var rc = 0;
        var rows = new List<(string Label, KeyExchangeMethod Method, Func<KeyExchange> Create)>();
        foreach (var method in (KeyExchangeMethod[])[
            KeyExchangeMethod.Modp2048, KeyExchangeMethod.Modp3072, KeyExchangeMethod.Modp4096,
            KeyExchangeMethod.Ecp256, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521,
            KeyExchangeMethod.Curve25519])
        {
            rows.Add(($"group {(ushort)method} {method}", method, () => KeyExchange.Create(method)));
        }
        // The fallbacks the default paths replace, for comparison.
        rows.Add(("group 14 managed BigInteger", KeyExchangeMethod.Modp2048,
            () => new ManagedModp(ModpGroup.Modp2048)));
        foreach (var method in (KeyExchangeMethod[])[KeyExchangeMethod.Ecp256, KeyExchangeMethod.Ecp384, KeyExchangeMethod.Ecp521])
        {
            rows.Add(($"group {(ushort)method} ECDiffieHellman", method,
                () => new EcpKeyExchange(EcpGroup.For(method)!, privateKey: default)));
        }
        rows.Add(("group 31 BouncyCastle", KeyExchangeMethod.Curve25519, () => new Curve25519KeyExchange(privateKey: default)));

        foreach (var (label, method, create) in rows)
        {
            using var peer = KeyExchange.Create(method);
            var peerValue = peer.PublicValue.ToArray();
            var failed = false;
            var (rate, baseline) = MeasureInterleaved(seconds, () =>
            {
                using var kx = create();
                failed |= !kx.TryComputeSharedSecret(peerValue, out _);
            }, ManagedModp2048Once);
            if (failed)
            {
                Console.Error.WriteLine($"{label}: agreement with a valid peer value failed");
                rc = 1;
            }
            Console.WriteLine($"{label,-32} {rate,10:F0} {baseline,10:F0} {rate / baseline,6:F2}x");
        }
        Console.WriteLine("baseline: BigInteger.ModPow MODP-2048 keygen+agree (the managed fallback)");
        return rc;
    }

    private static readonly byte[] s_peer2048 = CreatePeer2048();

    /// <summary>MODP on BigInteger only, shaped like a KeyExchange for the row loop.</summary>
    private sealed class ManagedModp : KeyExchange
    {
        private readonly ModpGroup _group;
        private readonly byte[] _exponent;
        private readonly byte[] _publicValue;

        public ManagedModp(ModpGroup group)
        {
            _group = group;
            _exponent = new byte[group.ExponentLength];
            System.Security.Cryptography.RandomNumberGenerator.Fill(_exponent);
            _publicValue = new byte[group.Length];
            ModpKeyExchange.ManagedModPow(group, [2], _exponent, _publicValue);
        }

        public override KeyExchangeMethod Method => _group.Method;

        private protected override ReadOnlySpan<byte> PublicValueCore => _publicValue;

        private protected override bool TryComputeSharedSecretCore(ReadOnlySpan<byte> peer, out byte[] secret)
        {
            secret = new byte[_group.Length];
            ModpKeyExchange.ManagedModPow(_group, peer, _exponent, secret);
            return true;
        }

        private protected override void ZeroPrivateKey() => Array.Clear(_exponent);
    }

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
