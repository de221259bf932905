// Request floods (issue 12): per client address, requests beyond the bucket are 429 with
// Retry-After before any work; enrollment has its own, smaller bucket.
using System.Net;
using System.Text;
using PostureGate.Ems.Tls;

namespace PostureGate.Ems.Tests.Api;

public class RateLimitTests
{
    // Buckets that never refill during a test: the outcome depends on counts, not on time.
    private static async Task<(EmsServer Server, HttpClient Client)> StartAsync(TempDirectory data, int requests, int enrollments)
    {
        var options = TestEms.Options(data.Path);
        options.RequestBurst = requests;
        options.RequestRefill = TimeSpan.FromHours(1);
        options.EnrollmentBurst = enrollments;
        options.EnrollmentRefill = TimeSpan.FromHours(1);
        var server = await EmsServer.StartAsync(options);
        var client = new HttpClient(EmsCertificatePinning.CreateHandler(server.CertificateFingerprint)) { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", server.ApiKey);
        return (server, client);
    }

    [Fact]
    public async Task Requests_beyond_the_bucket_are_429_with_retry_after()
    {
        using var data = new TempDirectory();
        var (server, client) = await StartAsync(data, requests: 3, enrollments: 100);
        await using (server)
        using (client)
        {
            for (var i = 0; i < 3; i++)
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(EmsApiRoutes.Info)).StatusCode);
            using var refused = await client.GetAsync(EmsApiRoutes.Info);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }
    }

    [Fact]
    public async Task Enrollment_has_its_own_smaller_bucket()
    {
        using var data = new TempDirectory();
        var (server, client) = await StartAsync(data, requests: 100, enrollments: 2);
        await using (server)
        using (client)
        {
            static StringContent Garbage() => new("{}", Encoding.UTF8, "application/json");
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(EmsApiRoutes.Enroll, Garbage())).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync(EmsApiRoutes.Enroll, Garbage())).StatusCode);
            // Other routes still answer.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(EmsApiRoutes.Info)).StatusCode);
        }
    }
}
