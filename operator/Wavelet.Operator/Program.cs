using Microsoft.Extensions.Options;
using Wavelet.Operator.Hosting;

try
{
    var app = OperatorHostBuilder.Build(args);
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"wavelet-operator: invalid settings: {string.Join("; ", e.Failures)}");
    return 2;
}
