using Wavelet.Cli;

return await WaveletCommandLine.InvokeAsync(args, CliContext.FromProcess());
