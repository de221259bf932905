// IKE_AUTH messages per second through the receive path: IkeMessage.TryParse
// (header, outer chain, rules) + TryDecrypt (ICV/tag check, decryption, inner
// chain parse, per-payload checks, exchange rules), for strongSwan's first
// IKE_AUTH request (INITIATOR-MESSAGES.md: 12 inner payloads) under each SK suite,
// beside a baseline of the bare BCL cipher over the same ciphertext in the same run.
using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using PostureGate.Ike.Crypto;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Proposals;

namespace PostureGate.Bench.Ike;

public sealed class IkeAuthDecodeBenchmark : IBenchmark
{
    public string Name => "ike-auth-decode";

    public string Description => "IKE_AUTH parse + SK decrypt per second per suite, vs the bare BCL cipher over the same bytes";

    private static readonly CipherSuite[] Suites =
    [
        new("aes128-sha256", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.HmacSha2_256),
        new("aes256gcm-prfsha384", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_384),
        new("chacha20poly1305-prfsha256", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PrfAlgorithm.HmacSha2_256),
    ];

    public int Run(string[] args)
    {
        var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 1.0;
        Console.WriteLine($"{"suite",-28} {"decode+decrypt",16} {"baseline cipher",16}  ratio  size");
        var rc = 0;
        // Two passes: the first only warms the tiered JIT for every suite (the parse code is shared, so
        // whichever suite ran first would otherwise pay for it); the second is reported.
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var suite in Suites)
            {
                var (rate, baseline, size, ok) = MeasureSuite(suite, pass == 0 ? seconds / 4 : seconds);
                if (pass == 0)
                    continue;
                Console.WriteLine($"{suite.Name,-28} {rate,12:N0} m/s {baseline,12:N0} m/s  {rate / baseline,5:F2}  {size} B");
                if (!ok)
                {
                    Console.WriteLine($"  FAIL: {suite.Name} did not decode");
                    rc = 1;
                }
            }
        }
        return rc;
    }

    private static (double Rate, double Baseline, int Size, bool Ok) MeasureSuite(CipherSuite suite, double seconds)
    {
        using var keys = IkeSaKeys.Derive(suite, RandomNumberGenerator.GetBytes(256), RandomNumberGenerator.GetBytes(32),
            RandomNumberGenerator.GetBytes(32), 0x8f2c11d3a0b45e61, 0x3c4d5e6f7a8b9c0d);
        using var cipher = keys.CreateCipher(true);
        var bytes = IkeAuthRequest().Encode(cipher);
        var ok = true;
        var rate = Measure(() =>
        {
            ok &= IkeMessage.TryParse(bytes, out var outer, out _) && outer!.TryDecrypt(cipher, out var inner, out _)
                && inner!.Payloads.Count == 12;
        }, seconds);
        var baseline = Measure(Baseline(suite, keys, bytes), seconds);
        return (rate, baseline, bytes.Length, ok);
    }

    /// <summary>The cipher work alone: decrypt (and for CBC, HMAC) the same SK body with the BCL primitives.</summary>
    private static Action Baseline(CipherSuite suite, IkeSaKeys keys, byte[] message)
    {
        const int ivOffset = IkeHeader.Size + PayloadHeader.Size;
        var output = new byte[message.Length];
        if (suite.Encryption == EncryptionAlgorithm.AesCbc)
        {
            var aes = Aes.Create();
            aes.Key = keys.SkEi.ToArray();
            var integKey = keys.SkAi.ToArray();
            var mac = new byte[32];
            return () =>
            {
                HMACSHA256.HashData(integKey, message.AsSpan(0, message.Length - 16), mac);
                aes.DecryptCbc(message.AsSpan(ivOffset + 16, message.Length - ivOffset - 32), message.AsSpan(ivOffset, 16), output, PaddingMode.None);
            };
        }
        var key = keys.SkEi[..^4].ToArray();
        var nonce = new byte[12];
        keys.SkEi[^4..].CopyTo(nonce);
        message.AsSpan(ivOffset, 8).CopyTo(nonce.AsSpan(4));
        var ciphertext = message.AsSpan(ivOffset + 8, message.Length - ivOffset - 24).ToArray();
        var tag = message.AsSpan(message.Length - 16).ToArray();
        var aad = message.AsSpan(0, ivOffset).ToArray();
        if (suite.Encryption == EncryptionAlgorithm.AesGcm16)
        {
            var gcm = new AesGcm(key, 16);
            return () => gcm.Decrypt(nonce, ciphertext, tag, output.AsSpan(0, ciphertext.Length), aad);
        }
        var chacha = new ChaCha20Poly1305(key);
        return () => chacha.Decrypt(nonce, ciphertext, tag, output.AsSpan(0, ciphertext.Length), aad);
    }

    private static double Measure(Action action, double seconds)
    {
        for (var i = 0; i < 2000; i++)
            action();
        var watch = Stopwatch.StartNew();
        long n = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 256; i++)
                action();
            n += 256;
        }
        return n / watch.Elapsed.TotalSeconds;
    }

    private static IkeMessage IkeAuthRequest()
    {
        var esp = new CipherSuite("esp", EncryptionAlgorithm.AesCbc, 128, IntegrityAlgorithm.HmacSha2_256_128, PrfAlgorithm.None);
        var gcm = new CipherSuite("esp", EncryptionAlgorithm.AesGcm16, 256, IntegrityAlgorithm.None, PrfAlgorithm.None);
        var chacha = new CipherSuite("esp", EncryptionAlgorithm.ChaCha20Poly1305, 256, IntegrityAlgorithm.None, PrfAlgorithm.None);
        return new IkeMessage(
            new IkeHeader(0x8f2c11d3a0b45e61, 0x3c4d5e6f7a8b9c0d, 0, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, 0),
            [
                IdPayload.FromFqdn(PayloadType.IdInitiator, "alice"),
                new NotifyPayload(NotifyType.InitialContact),
                IdPayload.FromFqdn(PayloadType.IdResponder, "gw.pg.example"),
                new ConfigPayload(ConfigType.Request,
                    [ConfigAttribute.Request(ConfigAttributeType.InternalIp4Address), ConfigAttribute.Request(ConfigAttributeType.InternalIp4Dns)]),
                new SaPayload([Proposal.ForEsp(1, esp, 0xc12a0001), Proposal.ForEsp(2, gcm, 0xc12a0001), Proposal.ForEsp(3, chacha, 0xc12a0001)]),
                new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.Any()]),
                new TsPayload(PayloadType.TrafficSelectorResponder, [TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24)]),
                new NotifyPayload(NotifyType.MobikeSupported),
                new NotifyPayload(NotifyType.NoAdditionalAddresses),
                new NotifyPayload(NotifyType.MultipleAuthSupported),
                new NotifyPayload(NotifyType.EapOnlyAuthentication),
                new NotifyPayload(NotifyType.Ikev2MessageIdSyncSupported),
            ]);
    }
}
