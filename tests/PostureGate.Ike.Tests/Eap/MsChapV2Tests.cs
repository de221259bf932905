// RFC 2759 §9.2 and RFC 3079 §3.5.3 known answers, the MSK layout strongSwan
// 5.9.8 exports, and the constant-time "S=" check.
using System.Text;
using PostureGate.Ike.Eap;

namespace PostureGate.Ike.Tests.Eap;

public class MsChapV2Tests
{
    // RFC 2759 §9.2 (the same sample data opens RFC 3079 §3.5).
    internal static readonly byte[] UserName = "User"u8.ToArray();
    internal const string Password = "clientPass";
    internal static readonly byte[] AuthenticatorChallenge = Convert.FromHexString("5B5D7C7D7B3F2F3E3C2C602132262628");
    internal static readonly byte[] PeerChallenge = Convert.FromHexString("21402324255E262A28295F2B3A337C7E");
    internal const string Challenge = "D02E4386BCE91226";
    internal const string NtResponse = "82309ECD8D708B5EA08FAA3981CD83544233114A3D85D6DF";
    internal const string PasswordHash = "44EBBA8D5312B8D611474411F56989AE";
    internal const string PasswordHashHash = "41C00C584BD2D91C4017A2A12FA59F3F";
    internal const string AuthenticatorResponse = "S=407A5589115FD0D6209F510FE9C04566932CDA56";

    // RFC 3079 §3.5.3 (128-bit keys).
    internal const string MasterKey = "FDECE3717A8C838CB388E527AE3CDD31";
    // Printed as SendStartKey128: GetAsymmetricStartKey(IsSend=TRUE, IsServer=TRUE), Magic3.
    internal const string ServerSendStartKey = "8B7CDC149B993A1BA118CB153F56DCCB";

    private static byte[] Hash() => Convert.FromHexString(PasswordHash);

    [Fact]
    public void NtPasswordHash_Rfc2759()
    {
        var hash = new byte[16];
        MsChapV2.NtPasswordHash(Password, hash);
        Assert.Equal(PasswordHash, Convert.ToHexString(hash));
    }

    [Fact]
    public void HashNtPasswordHash_Rfc2759()
    {
        var hashHash = new byte[16];
        MsChapV2.HashNtPasswordHash(Hash(), hashHash);
        Assert.Equal(PasswordHashHash, Convert.ToHexString(hashHash));
    }

    [Fact]
    public void ChallengeHash_Rfc2759()
    {
        var challenge = new byte[8];
        MsChapV2.ChallengeHash(PeerChallenge, AuthenticatorChallenge, UserName, challenge);
        Assert.Equal(Challenge, Convert.ToHexString(challenge));
    }

    [Fact]
    public void GenerateNTResponse_Rfc2759()
    {
        var response = new byte[24];
        MsChapV2.GenerateNTResponse(AuthenticatorChallenge, PeerChallenge, UserName, Hash(), response);
        Assert.Equal(NtResponse, Convert.ToHexString(response));
    }

    [Fact]
    public void GenerateAuthenticatorResponse_Rfc2759()
    {
        var digest = new byte[20];
        MsChapV2.GenerateAuthenticatorResponse(Hash(), Convert.FromHexString(NtResponse), PeerChallenge,
            AuthenticatorChallenge, UserName, digest);
        Assert.Equal(AuthenticatorResponse, MsChapV2.FormatAuthenticatorResponse(digest));
    }

    [Fact]
    public void ChallengeResponseAcceptsDesWeakKeys()
    {
        // An all-zero hash gives three all-zero 7-octet keys, i.e. the DES weak key
        // 0101010101010101; DES(k=0101010101010101, 0000000000000000) = 8CA64DE9C1B123A7
        // (the classic DES known answer). The BCL's DES would refuse this key.
        var response = new byte[24];
        MsChapV2.ChallengeResponse(new byte[8], new byte[16], response);
        Assert.Equal(string.Concat(Enumerable.Repeat("8CA64DE9C1B123A7", 3)), Convert.ToHexString(response));
    }

    [Fact]
    public void GetMasterKey_Rfc3079()
    {
        var masterKey = new byte[16];
        MsChapV2.GetMasterKey(Convert.FromHexString(PasswordHashHash), Convert.FromHexString(NtResponse), masterKey);
        Assert.Equal(MasterKey, Convert.ToHexString(masterKey));
    }

    [Fact]
    public void GetAsymmetricStartKey_Rfc3079()
    {
        var master = Convert.FromHexString(MasterKey);
        var serverSend = new byte[16];
        var clientReceive = new byte[16];
        var serverReceive = new byte[16];
        var clientSend = new byte[16];
        MsChapV2.GetAsymmetricStartKey(master, serverSend, isSend: true, isServer: true);
        MsChapV2.GetAsymmetricStartKey(master, clientReceive, isSend: false, isServer: false);
        MsChapV2.GetAsymmetricStartKey(master, serverReceive, isSend: false, isServer: true);
        MsChapV2.GetAsymmetricStartKey(master, clientSend, isSend: true, isServer: false);
        Assert.Equal(ServerSendStartKey, Convert.ToHexString(serverSend));
        // Each direction's key is the same seen from either end, and the two differ.
        Assert.Equal(serverSend, clientReceive);
        Assert.Equal(serverReceive, clientSend);
        Assert.NotEqual(serverSend, serverReceive);
        // 40-bit keys (RFC 3079 §3.5.1) are the first 8 octets of the same digest.
        var short8 = new byte[8];
        MsChapV2.GetAsymmetricStartKey(master, short8, isSend: true, isServer: true);
        Assert.Equal(ServerSendStartKey[..16], Convert.ToHexString(short8));
    }

    [Fact]
    public void MskIsServerReceiveThenServerSendThenZeros()
    {
        var msk = MsChapV2.CreateMsk(Hash(), Convert.FromHexString(NtResponse));
        Assert.Equal(64, msk.Length);
        var serverReceive = new byte[16];
        MsChapV2.GetAsymmetricStartKey(Convert.FromHexString(MasterKey), serverReceive, isSend: false, isServer: true);
        Assert.Equal(serverReceive, msk[..16]);
        // Not printed in RFC 3079; the same value other MS-CHAPv2 implementations
        // (hostapd, Android's EAP tests) compute for the client's send key.
        Assert.Equal("D5F0E9521E3EA9589645E86051C82226", Convert.ToHexString(msk[..16]));
        Assert.Equal(ServerSendStartKey, Convert.ToHexString(msk[16..32]));
        Assert.All(msk[32..], b => Assert.Equal(0, b));
    }

    [Theory]
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA56", true)]
    [InlineData("S=407a5589115fd0d6209f510fe9c04566932cda56", true)]
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA57", false)]  // "LastDigitWrong"
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA5", false)]   // "TooShort"
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDA566", false)] // "TooLong"
    [InlineData("s=407A5589115FD0D6209F510FE9C04566932CDA56", false)]  // "LowerCasePrefix"
    [InlineData("S=407A5589115FD0D6209F510FE9C04566932CDAZZ", false)]  // "NotHex"
    [InlineData("", false)]                                            // "Empty"
    public void CheckAuthenticatorResponse_Rfc2759(string received, bool expected)
    {
        var digest = new byte[20];
        MsChapV2.GenerateAuthenticatorResponse(Hash(), Convert.FromHexString(NtResponse), PeerChallenge,
            AuthenticatorChallenge, UserName, digest);
        Assert.Equal(expected, MsChapV2.CheckAuthenticatorResponse(digest, received));
    }

    [Theory]
    [InlineData("User", "User")]
    [InlineData(@"EXAMPLE\User", "User")]
    [InlineData(@"A\B\User", @"B\User")]
    [InlineData(@"EXAMPLE\", "")]
    public void UserNameForHashDropsTheDomain(string name, string expected)
    {
        var result = MsChapV2.UserNameForHash(Encoding.UTF8.GetBytes(name));
        Assert.Equal(expected, Encoding.UTF8.GetString(result));
    }
}
