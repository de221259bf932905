using System.Security.Cryptography;
using PostureGate.Ems.Storage;
using PostureGate.Ems.Tokens;

namespace PostureGate.Ems.Tests.Tokens;

public class SigningKeyRingTests
{
    [Fact]
    public void RetiredKey_LeavesJwksAndDisk_OnlyAfterItsTokensExpire()
    {
        using var dir = new TempDirectory();
        var time = new ManualTime(DateTimeOffset.FromUnixTimeSeconds(1769757787));
        using var store = EmsStore.Open(dir.Path, time);
        Assert.True(store.SetTokenSettings(true, 3600, 600).Succeeded);
        using var ring = SigningKeyRing.Open(store);
        var first = ring.Active.Kid;
        var firstFile = Path.Combine(dir.Path, "keys", first + ".pem");
        Assert.True(File.Exists(firstFile));

        var rotated = ring.Rotate();
        Assert.True(rotated.Succeeded);
        Assert.NotEqual(first, ring.Active.Kid);
        Assert.Equal([first, ring.Active.Kid], ring.Published.Select(k => k.Kid));

        time.Advance(TimeSpan.FromSeconds(3599));
        ring.Refresh();
        Assert.Contains(ring.Published, k => k.Kid == first);
        Assert.True(File.Exists(firstFile));

        time.Advance(TimeSpan.FromSeconds(1));
        ring.Refresh();
        Assert.Equal([ring.Active.Kid], ring.Published.Select(k => k.Kid));
        Assert.False(File.Exists(firstFile));
    }

    [Fact]
    public void Kid_IsTheRfc7638Thumbprint()
    {
        // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
        const string n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        const string e = "AQAB";
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(n),
            Exponent = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(e),
        });
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JwkThumbprint.Compute(rsa));
    }

    [Fact]
    public void LoadPem_AcceptsPkcs1AndPkcs8_RefusesSmallKeys()
    {
        using var dir = new TempDirectory();
        using var rsa = RSA.Create(2048);
        var pkcs8 = Path.Combine(dir.Path, "k8.pem");
        var pkcs1 = Path.Combine(dir.Path, "k1.pem");
        File.WriteAllText(pkcs8, rsa.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(pkcs1, rsa.ExportRSAPrivateKeyPem());
        using (var a = SigningKeyRing.LoadPem(pkcs8))
        using (var b = SigningKeyRing.LoadPem(pkcs1))
            Assert.Equal(JwkThumbprint.Compute(a), JwkThumbprint.Compute(b));

        using var small = RSA.Create(1024);
        var weak = Path.Combine(dir.Path, "weak.pem");
        File.WriteAllText(weak, small.ExportPkcs8PrivateKeyPem());
        Assert.Throws<CryptographicException>(() => SigningKeyRing.LoadPem(weak));
    }
}
