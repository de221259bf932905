// The after-decryption fuzz target (AfterDecryptionFuzzTarget): its seeds really pass the ICV and
// reach the exchange they are meant for (the gateway answers them), the checked-in corpus and a few
// thousand deterministic mutations of it run without a finding. PG_WRITE_FUZZ_CORPUS=1 rewrites
// fuzz/PostureGate.Ike.Fuzz/corpus/session.
using System.Net;
using PostureGate.Ike.Messages;
using PostureGate.Ike.Messages.Payloads;
using PostureGate.Ike.Sa;
using PostureGate.Ike.Tests.Messages;
using PostureGate.Net;

namespace PostureGate.Ike.Tests.Sa;

public class AfterDecryptionFuzzTargetTests
{
    private const byte IkeAuthRequest1 = 0, IkeAuthRequest2 = 1, Established = 2, AnswerToDelete = 3;
    private const byte IkeAuth = 1, CreateChildSa = 2, Informational = 3;

    /// <summary>[stage][exchange][first inner type][chain], the chain as SK would carry it.</summary>
    private static byte[] Input(byte stage, byte exchange, params IkePayload[] payloads)
    {
        if (payloads.Length == 0)
            return [stage, exchange, (byte)PayloadType.NoNextPayload];
        var encoded = new IkeMessage(new IkeHeader(1, 2, 0, ExchangeType.IkeAuth, IkeHeaderFlags.Initiator, 1, 0), payloads).Encode();
        return [stage, exchange, (byte)payloads[0].Type, .. encoded.AsSpan(IkeHeader.Size)];
    }

    private static EapPayload EapIdentity(string user) => new([2, 0, (byte)0, (byte)(5 + user.Length), 1, .. System.Text.Encoding.ASCII.GetBytes(user)]);

    public static List<(string Name, byte[] Bytes, bool Answered)> Seeds() =>
    [
        ("auth1_strongswan", Input(IkeAuthRequest1, IkeAuth, [.. StrongSwanMessages.IkeAuthRequestPayloads()]), true),
        ("auth1_no_idi", Input(IkeAuthRequest1, IkeAuth, new NotifyPayload(NotifyType.InitialContact)), true),
        ("auth2_eap_identity", Input(IkeAuthRequest2, IkeAuth, EapIdentity("alice")), true),
        ("auth2_eap_nak", Input(IkeAuthRequest2, IkeAuth, new EapPayload([2, 0, 0, 6, 3, 4])), true),
        ("informational_dpd", Input(Established, Informational), true),
        ("informational_delete_ike", Input(Established, Informational, DeletePayload.ForIkeSa()), true),
        ("informational_delete_esp", Input(Established, Informational, DeletePayload.ForChildSas([0x11223344])), true),
        ("create_child_sa_new", Input(Established, CreateChildSa,
            new SaPayload([Proposal.ForEsp(1, StrongSwanMessages.AesCbc128Sha256 with { Prf = Proposals.PrfAlgorithm.None }, 0x0a0b0c0d)]),
            new NoncePayload(new byte[32]),
            new TsPayload(PayloadType.TrafficSelectorInitiator, [TrafficSelector.Any()]),
            new TsPayload(PayloadType.TrafficSelectorResponder, [TrafficSelector.FromPrefix(IPAddress.Parse("203.0.113.0"), 24)])), true),
        ("ike_auth_after_established", Input(Established, IkeAuth, new NotifyPayload(NotifyType.InitialContact)), true),
        ("delete_answer", Input(AnswerToDelete, Informational), false),
        ("delete_answer_garbage", [AnswerToDelete, Informational, (byte)PayloadType.Notify, 0, 0, 0, 3], false),
    ];

    [Fact]
    public void EverySeed_PassesDecryption_AndReachesItsExchange()
    {
        foreach (var (name, bytes, answered) in Seeds())
        {
            var outcome = AfterDecryptionFuzzTarget.Run(bytes);
            Assert.True(outcome.Reached, name + ": the exchanges before the fuzzed message did not complete");
            if (answered)
                Assert.True(outcome.GatewayAnswers > 0, name + ": the gateway did not answer (not decrypted, or dropped)");
        }
    }

    [Fact]
    public void AChainThatDoesNotParse_IsAnsweredWithInvalidSyntax_NotDropped()
    {
        // After authentication (§2.21.2) a request that decrypts but is malformed gets an error Notify.
        var outcome = AfterDecryptionFuzzTarget.Run([Established, Informational, (byte)PayloadType.Notify, 0, 0, 0, 3]);
        Assert.True(outcome.Reached);
        Assert.Equal(1, outcome.GatewayAnswers);
    }

    [Fact]
    public void CheckedInCorpus_RunsCleanly()
    {
        var root = FuzzCorpusTests.FindCorpusDirectory();
        Assert.NotNull(root);
        var directory = Path.Combine(root!, "session");
        if (Environment.GetEnvironmentVariable("PG_WRITE_FUZZ_CORPUS") == "1")
        {
            Directory.CreateDirectory(directory);
            foreach (var (name, bytes, _) in Seeds())
                File.WriteAllBytes(Path.Combine(directory, name + ".bin"), bytes);
        }
        var files = Directory.GetFiles(directory);
        Assert.NotEmpty(files);
        foreach (var file in files)
            AfterDecryptionFuzzTarget.Fuzz(File.ReadAllBytes(file));
    }

    [Fact]
    public void Mutations_NeverThrow_NorLogAnError()
    {
        var random = new Random(7296);
        var seeds = Seeds().Select(s => s.Bytes).ToList();
        for (var i = 0; i < 600; i++)
        {
            var seed = (byte[])seeds[random.Next(seeds.Count)].Clone();
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                // The first three octets pick stage, exchange and first type; mutate the chain mostly.
                var at = random.Next(Math.Min(3, seed.Length), seed.Length);
                if (at < seed.Length)
                    seed[at] = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)(seed[at] ^ (1 << random.Next(8)));
            }
            if (random.Next(8) == 0)
                seed = seed[..random.Next(3, seed.Length + 1)];
            AfterDecryptionFuzzTarget.Fuzz(seed);
        }
    }
}
