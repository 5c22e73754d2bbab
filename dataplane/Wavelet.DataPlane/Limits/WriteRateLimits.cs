using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Web;

namespace Wavelet.DataPlane.Limits;

/// <summary>
/// The write rate limit: a token bucket per client address (limits.writesPerSecond, limits.writeBurst), applied by
/// ASP.NET Core's rate limiting middleware to the event routes. The settings are part of the partition key, so a live
/// config reload starts fresh buckets with the new numbers.
/// </summary>
public static class WriteRateLimits
{
    public const string Policy = "wavelet-writes";

    public static IServiceCollection AddWriteRateLimits(this IServiceCollection services) => services.AddRateLimiter(options =>
    {
        options.AddPolicy(Policy, context =>
        {
            var limits = context.RequestServices.GetRequiredService<ConfigHolder>().Current.Limits;
            var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            if (limits.WritesPerSecond <= 0)
            {
                return RateLimitPartition.GetNoLimiter("none");
            }

            return RateLimitPartition.GetTokenBucketLimiter($"{address}|{limits.WritesPerSecond}|{limits.WriteBurst}", _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, limits.WriteBurst),
                TokensPerPeriod = limits.WritesPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        options.OnRejected = async (rejected, ct) =>
        {
            var response = rejected.HttpContext.Response;
            response.StatusCode = StatusCodes.Status429TooManyRequests;
            response.Headers.RetryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)
                : "1";
            var limits = rejected.HttpContext.RequestServices.GetRequiredService<ConfigHolder>().Current.Limits;
            await ApiErrors.Error(StatusCodes.Status429TooManyRequests, $"too many writes from your address: the limit is {limits.WritesPerSecond} per second (bursts of {limits.WriteBurst}); retry after the Retry-After seconds")
                .ExecuteAsync(rejected.HttpContext);
        };
    });
}
