// draft-kamath-pppext-eap-mschapv2-02 §2 framing: the Type-Data of EAP type 26.
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class MsChapV2PacketTests
{
    private static ReadOnlySpan<byte> TypeData(byte[] eap)
    {
        Assert.True(EapPacket.TryParse(eap, out var p));
        Assert.Equal(EapType.MsChapV2, p.Type);
        return p.TypeData.ToArray();
    }

    [Fact]
    public void ChallengeRoundTrips()
    {
        var challenge = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var eap = MsChapV2Packet.CreateChallenge(5, 6, challenge, "gw"u8);
        // EAP Length 5 + 4 + 1 + 16 + 2 = 28; MS-Length = 28 - 5.
        Assert.Equal(28, eap.Length);
        Assert.Equal(23, (eap[7] << 8) | eap[8]);
        Assert.True(MsChapV2Packet.TryParse(TypeData(eap), out var ms));
        Assert.Equal(MsChapV2OpCode.Challenge, ms.OpCode);
        Assert.Equal(6, ms.MsChapV2Id);
        Assert.True(ms.TryReadChallenge(out var c, out var name));
        Assert.Equal(challenge, c.ToArray());
        Assert.Equal("gw"u8.ToArray(), name.ToArray());
        Assert.False(ms.TryReadResponse(out _, out _, out _));
    }

    [Fact]
    public void ResponseRoundTrips()
    {
        var peerChallenge = Enumerable.Repeat((byte)0xAA, 16).ToArray();
        var nt = Enumerable.Repeat((byte)0xBB, 24).ToArray();
        var eap = MsChapV2Packet.CreateResponse(9, 8, peerChallenge, nt, "User"u8);
        Assert.True(MsChapV2Packet.TryParse(TypeData(eap), out var ms));
        Assert.Equal(8, ms.MsChapV2Id);
        Assert.True(ms.TryReadResponse(out var pc, out var ntr, out var name));
        Assert.Equal(peerChallenge, pc.ToArray());
        Assert.Equal(nt, ntr.ToArray());
        Assert.Equal("User"u8.ToArray(), name.ToArray());
        // Reserved (8) and Flags (1) are zero on the wire.
        Assert.All(ms.Data.Slice(17, 8).ToArray(), b => Assert.Equal(0, b));
        Assert.Equal(0, ms.Data[49]);
    }

    [Fact]
    public void ShortSuccessResponse()
    {
        var eap = MsChapV2Packet.CreateShortResponse(3, MsChapV2OpCode.Success);
        Assert.Equal(new byte[] { 2, 3, 0, 6, 26, 3 }, eap);
        Assert.True(MsChapV2Packet.TryParse(TypeData(eap), out var ms));
        Assert.True(ms.IsShort);
        Assert.Equal(MsChapV2OpCode.Success, ms.OpCode);
    }

    [Fact]
    public void MessageRequest()
    {
        var eap = MsChapV2Packet.CreateMessageRequest(4, MsChapV2OpCode.Success, 3, "S=00 M=hi");
        Assert.True(MsChapV2Packet.TryParse(TypeData(eap), out var ms));
        Assert.False(ms.IsShort);
        Assert.Equal("S=00 M=hi"u8.ToArray(), ms.Data.ToArray());
    }

    [Theory]
    [InlineData("Empty", "")]
    [InlineData("ShortChallenge", "01")]
    [InlineData("ShortResponse", "02")]
    [InlineData("HeaderTruncated", "010100")]
    [InlineData("MsLengthTooBig", "01010009AA")]
    [InlineData("MsLengthTooSmall", "01010004AA")]
    public void RejectsMalformed(string name, string hex)
    {
        Assert.NotEmpty(name);
        Assert.False(MsChapV2Packet.TryParse(Convert.FromHexString(hex), out var ms));
        Assert.Equal(default, ms.OpCode);
        Assert.True(ms.Data.IsEmpty);
    }

    [Theory]
    [InlineData("ValueSizeWrong", 15, 16, 2)]
    [InlineData("ChallengeTruncated", 16, 15, 0)]
    [InlineData("NameMissing", 16, 16, 0)]
    public void RejectsBadChallenge(string name, int valueSize, int challengeLength, int nameLength)
    {
        Assert.NotEmpty(name);
        var data = new List<byte> { 1, 1, 0, 0, (byte)valueSize };
        data.AddRange(new byte[challengeLength]);
        data.AddRange(Enumerable.Repeat((byte)'n', nameLength));
        data[3] = (byte)data.Count;
        Assert.True(MsChapV2Packet.TryParse(data.ToArray(), out var ms));
        Assert.False(ms.TryReadChallenge(out var c, out var n));
        Assert.True(c.IsEmpty);
        Assert.True(n.IsEmpty);
    }

    [Theory]
    [InlineData("ValueSizeWrong", 48, 49)]
    [InlineData("ValueTruncated", 49, 48)]
    public void RejectsBadResponse(string name, int valueSize, int valueLength)
    {
        Assert.NotEmpty(name);
        var data = new List<byte> { 2, 1, 0, 0, (byte)valueSize };
        data.AddRange(new byte[valueLength]);
        data[3] = (byte)data.Count;
        Assert.True(MsChapV2Packet.TryParse(data.ToArray(), out var ms));
        Assert.False(ms.TryReadResponse(out var pc, out var nt, out var n));
        Assert.True(pc.IsEmpty && nt.IsEmpty && n.IsEmpty);
    }
}
