// Seeded random and mutated input against every EAP entry point: parsers
// return false, sessions return Failed or a reply, nothing throws, and no
// mutated exchange ever yields a success on either side.
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class EapRobustnessTests
{
    private static IEnumerable<byte[]> RandomInputs(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var data = new byte[random.Next(0, 80)];
            random.NextBytes(data);
            // Bias towards plausible headers so the deeper parsers are reached.
            if (data.Length >= 4 && random.Next(2) == 0)
            {
                data[0] = (byte)random.Next(1, 5);
                data[2] = 0;
                data[3] = (byte)data.Length;
                if (data.Length >= 5 && random.Next(2) == 0)
                    data[4] = (byte)EapType.MsChapV2;
                if (data.Length >= 9 && random.Next(2) == 0)
                {
                    data[7] = 0;
                    data[8] = (byte)(data.Length - 5);
                }
            }
            yield return data;
        }
    }

    [Fact]
    public void ParsersNeverThrow()
    {
        var parsed = 0;
        foreach (var data in RandomInputs(seed: 1, count: 5000))
        {
            if (EapPacket.TryParse(data, out var p))
            {
                parsed++;
                Assert.True(p.Length <= data.Length);
                if (p.Type == EapType.MsChapV2 && MsChapV2Packet.TryParse(p.TypeData, out var ms))
                {
                    ms.TryReadChallenge(out _, out _);
                    ms.TryReadResponse(out _, out _, out _);
                }
            }
        }
        Assert.InRange(parsed, 1, 4999);
    }

    [Fact]
    public void ServerNeverThrowsNorSucceedsOnGarbage()
    {
        foreach (var data in RandomInputs(seed: 2, count: 2000))
        {
            using var server = new EapServerSession(_ => "pw", "gw");
            server.Start();
            var step = server.Process(data);
            Assert.IsNotType<EapServerStep.Succeeded>(step);
            // A second message after garbage never succeeds either.
            Assert.IsNotType<EapServerStep.Succeeded>(server.Process(data));
        }
    }

    [Fact]
    public void PeerNeverThrowsNorSucceedsOnGarbage()
    {
        foreach (var data in RandomInputs(seed: 3, count: 2000))
        {
            using var peer = new EapPeerSession("alice", "pw");
            Assert.IsNotType<EapPeerStep.Succeeded>(peer.Process(data));
        }
    }

    [Fact]
    public void EveryBitFlipInTheMsChapResponseFails()
    {
        // Flip each bit of a genuine Response in turn: the server must never accept it.
        var template = MsChapV2Packet.CreateResponse(0x11, 0x11, MsChapV2Tests.PeerChallenge,
            Convert.FromHexString(MsChapV2Tests.NtResponse), "User"u8);
        for (var bit = 0; bit < template.Length * 8; bit++)
        {
            var mutated = (byte[])template.Clone();
            mutated[bit / 8] ^= (byte)(1 << (bit % 8));
            using var server = new EapServerSession(n => n == "User" ? MsChapV2Tests.Password : null, "PostureGate",
                // 16 more octets for the dummy hash a flipped (unknown) name draws.
                new FixedRandom([0x10], MsChapV2Tests.AuthenticatorChallenge, new byte[16]));
            server.Start();
            server.Process(EapPacket.Create(EapCode.Response, 0x10, EapType.Identity, "User"u8));
            var step = server.Process(mutated);
            // Only the Flags/Reserved octets carry no meaning; everything else must fail.
            var offsetInValue = bit / 8 - 10;
            var ignored = offsetInValue is >= 16 and < 24 || offsetInValue == 48;
            if (ignored)
                Assert.IsType<EapServerStep.Continue>(step);
            else
                Assert.IsType<EapServerStep.Failed>(step);
        }
    }
}
