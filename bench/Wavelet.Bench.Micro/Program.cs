using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Wavelet.Bench.Micro -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(Wavelet.Bench.Micro.FanoutBenchmarks).Assembly).Run(args);
