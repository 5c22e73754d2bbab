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

    public static IServiceCollection AddWaveletJwt(this IServiceCollection services, EgressOptions egress, Func<string, string?> environment)
    {
        services.AddAuthentication().AddJwtBearer(Scheme);
        services.AddSingleton(provider => new JwksManagers(egress, provider.GetRequiredService<ILogger<JwksManagers>>()));
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>>(provider => new JwtBearerSetup(
            provider.GetRequiredService<ConfigHolder>(), provider.GetRequiredService<JwksManagers>(), provider.GetRequiredService<TimeProvider>(), environment));
        services.AddSingleton<IOptionsChangeTokenSource<JwtBearerOptions>>(provider => new ConfigChangeTokenSource<JwtBearerOptions>(Scheme, provider.GetRequiredService<ConfigHolder>()));
        return services;
    }
}
