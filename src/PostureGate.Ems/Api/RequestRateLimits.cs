// Request floods (issue 12): token buckets per client IP address (RFC 6585 §4, 429 Too Many
// Requests with Retry-After), and a stricter one for enrollment, whose pending requests the EMS
// stores. The address, not a certificate, keys them: any caller may present a fresh self-signed
// certificate, so a per-certificate bucket would be a new bucket per request.
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;

namespace PostureGate.Ems.Api;

internal static class RequestRateLimits
{
    public static void Configure(RateLimiterOptions limiter, EmsOptions options)
    {
        if (options.RequestBurst < 1 || options.EnrollmentBurst < 1 || options.RequestRefill <= TimeSpan.Zero || options.EnrollmentRefill <= TimeSpan.Zero)
            throw new ArgumentException("request and enrollment rate limits must be positive");
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, IPAddress>(http =>
                RateLimitPartition.GetTokenBucketLimiter(ClientAddress(http), _ => Bucket(options.RequestBurst, options.RequestRefill))),
            PartitionedRateLimiter.Create<HttpContext, IPAddress>(http =>
                http.Request.Path.StartsWithSegments(EmsApiRoutes.Enroll, StringComparison.Ordinal)
                    ? RateLimitPartition.GetTokenBucketLimiter(ClientAddress(http), _ => Bucket(options.EnrollmentBurst, options.EnrollmentRefill))
                    : RateLimitPartition.GetNoLimiter(IPAddress.None)));
        limiter.OnRejected = (context, _) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry))
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return ValueTask.CompletedTask;
        };
    }

    private static IPAddress ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : http.Connection.RemoteIpAddress ?? IPAddress.None;

    private static TokenBucketRateLimiterOptions Bucket(int burst, TimeSpan refill) => new()
    {
        TokenLimit = burst,
        TokensPerPeriod = 1,
        ReplenishmentPeriod = refill,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}
