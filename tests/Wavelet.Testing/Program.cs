// Standalone entry for the test harness tools (e.g. risingwave-sim). Filled in by the harness.
Console.Error.WriteLine("usage: Wavelet.Testing risingwave-sim --port <port> --postgres <url>");
return 2;
