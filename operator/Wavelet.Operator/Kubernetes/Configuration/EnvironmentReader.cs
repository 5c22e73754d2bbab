namespace Wavelet.Operator.Kubernetes.Configuration;

/// <summary>Environment variables, home and service-account directories, replaceable in tests.</summary>
internal sealed class EnvironmentReader
{
    public static readonly EnvironmentReader Process = new(
        Environment.GetEnvironmentVariable,
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        KubernetesClientConfiguration.ServiceAccountDirectory);

    public EnvironmentReader(Func<string, string?> get, string home, string serviceAccountDirectory)
    {
        Get = get;
        Home = home;
        ServiceAccountDirectory = serviceAccountDirectory;
    }

    public Func<string, string?> Get { get; }
    public string Home { get; }
    public string ServiceAccountDirectory { get; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
