using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Config;
using Wavelet.DataPlane.Egress;

namespace Wavelet.DataPlane.Auth;

/// <summary>
/// JWT authentication through ASP.NET Core's JwtBearer handler. Endpoints authenticate explicitly (see
/// <c>Web/RequestAuth</c>) because whether a token is required depends on the route and the config; the handler's
/// options follow the running config (<see cref="JwtBearerSetup"/>, rebuilt whenever <see cref="ConfigHolder"/> publishes).
/// </summary>
public static class JwtAuthentication
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;

    /// <summary>
    /// With it, the request that asked for a JWKS refresh waits for the new key set and is checked against it, so the
    /// first token signed with a rotated-in key is accepted. Without it the manager refreshes in the background and that
    /// token is refused with 4000, which clients treat as final. IdentityModel caches the switch at its first read, so
    /// the hosts' project files set it from process start (RuntimeHostConfigurationOption); setting it here covers a
    /// host that did not, as long as nothing read it before.
    /// </summary>
    public const string BlockingRefreshSwitch = "Switch.Microsoft.IdentityModel.UpdateConfigAsBlocking";

    public static IServiceCollection AddWaveletJwt(this IServiceCollection services, Func<string, string?> environment)
    {
        AppContext.SetSwitch(BlockingRefreshSwitch, true);
        services.AddAuthentication().AddJwtBearer(Scheme);
        services.AddSingleton(provider => new JwksManagers(provider.GetRequiredService<EgressOptions>(), provider.GetRequiredService<ILogger<JwksManagers>>()));
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>>(provider => new JwtBearerSetup(
            provider.GetRequiredService<ConfigHolder>(), provider.GetRequiredService<JwksManagers>(), provider.GetRequiredService<TimeProvider>(), environment));
        services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(provider => new ConfigChangeTokenSource<JwtBearerOptions>(Scheme, provider.GetRequiredService<ConfigHolder>()));
        return services;
    }
}
