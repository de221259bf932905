// ZTNA token verifications per second (structure + RS256 signature via JsonWebTokenHandler +
// claim checks) beside the baseline of the bare RSA-2048 RSA.VerifyData on the same token.
using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using PostureGate.Posture;

namespace PostureGate.Bench.Posture;

public sealed class JwtVerifyBenchmark : IBenchmark
{
    public string Name => "posture-jwt";
    public string Description => "ZTNA token verifications/s vs raw RSA-2048 VerifyData";

    public int Run(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0]) : 20_000;
        using var rsa = RSA.Create(2048);
        var keys = new PinnedKeyStore();
        keys.Set(1, "k1", new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = "k1" });
        var verifier = new ZtnaTokenVerifier(keys);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        const string uid = "F8A6AFF3531843B4972CBDBEEEB30E3C";
        var header = Base64Url.EncodeToString(Encoding.UTF8.GetBytes("""{"alg":"RS256","typ":"JWT","kid":"k1"}"""));
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
        {
            endpoint = new { uid, tags = new[] { new { name = "a", type = 1, levl = (object?)null }, new { name = "all_registered_clients", type = 1, levl = (object?)null } }, nwifs = (object?)null, ztna_cert_sn = "B09D97178121B588ED3055137577522C7B689B79", owner = (object?)null },
            exp = now + 3600,
            iat = now,
        })));
        var input = Encoding.ASCII.GetBytes(header + "." + payload);
        var signature = rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var token = header + "." + payload + "." + Base64Url.EncodeToString(signature);

        for (var i = 0; i < 500; i++)
        {
            rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            verifier.VerifyAsync(token, uid).GetAwaiter().GetResult();
        }

        var sw = Stopwatch.StartNew();
        var ok = 0;
        for (var i = 0; i < iterations; i++)
            ok += rsa.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1) ? 1 : 0;
        var baseline = sw.Elapsed;

        sw.Restart();
        var valid = 0;
        for (var i = 0; i < iterations; i++)
            valid += verifier.VerifyAsync(token, uid).GetAwaiter().GetResult().IsValid ? 1 : 0;
        var measured = sw.Elapsed;

        Console.WriteLine($"baseline RSA.VerifyData (RSA-2048): {iterations / baseline.TotalSeconds,10:F0} /s  {baseline.TotalMicroseconds / iterations,6:F1} us each");
        Console.WriteLine($"ZtnaTokenVerifier.VerifyAsync:      {iterations / measured.TotalSeconds,10:F0} /s  {measured.TotalMicroseconds / iterations,6:F1} us each");
        Console.WriteLine($"ratio verifier/baseline time: {measured / baseline:F2}x");
        return ok == iterations && valid == iterations ? 0 : 1;
    }
}
