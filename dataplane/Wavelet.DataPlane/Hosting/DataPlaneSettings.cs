using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wavelet.DataPlane.Config;

namespace Wavelet.DataPlane.Hosting;

/// <summary>
/// The process settings (configuration section <c>DataPlane</c> and its subsections, docs/configuration.md): each options
/// class is bound from its section, checked by its <see cref="IValidateOptions{TOptions}"/> at start, and registered as
/// its value too, so components take the plain options class and tests can construct them with one.
/// </summary>
public static class DataPlaneSettings
{
    private const string BinderSource = "Microsoft.Extensions.Configuration.Binder";

    public static IServiceCollection AddSetting<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        services.TryAddSingleton(provider => provider.GetRequiredService<IOptions<TOptions>>().Value);
        return services;
    }

    /// <summary>Binds a section before the host exists (for what shapes the host itself); a value of the wrong type is an <see cref="InvalidConfigException"/>.</summary>
    public static TOptions Read<TOptions>(IConfiguration configuration, string section)
        where TOptions : class, new()
    {
        try
        {
            return configuration.GetSection(section).Get<TOptions>() ?? new TOptions();
        }
        catch (InvalidOperationException e) when (e.Source == BinderSource)
        {
            throw new InvalidConfigException($"invalid setting: {e.Message}", e);
        }
    }

    /// <summary>
    /// Runs the start-up validation right after the host is built, before anything listens or logs, so a bad setting is
    /// one <see cref="InvalidConfigException"/> listing every problem (exit 2) like a bad config file. The host's own
    /// start-up check then finds the values validated and cached.
    /// </summary>
    public static void Validate(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException e)
        {
            throw Invalid(e.Failures, e);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(inner => inner is OptionsValidationException))
        {
            throw Invalid(e.InnerExceptions.SelectMany(inner => ((OptionsValidationException)inner).Failures), e);
        }
        catch (InvalidOperationException e) when (e.Source == BinderSource)
        {
            // A value of the wrong type ("--DataPlane:DrainDelay abc"): the binder's message names the key.
            throw new InvalidConfigException($"invalid setting: {e.Message}", e);
        }
    }

    private static InvalidConfigException Invalid(IEnumerable<string> failures, Exception inner) =>
        new($"invalid settings: {string.Join("; ", failures)}", inner);
}
