using Wavelet.CrdGen;

// Usage: dotnet run --project api/Wavelet.CrdGen -- [path] [--check]
// Writes the WaveletProject CRD to path (default crds/waveletprojects.wavelet.risingwave.com.yaml);
// with --check only compares and exits 1 when the file is out of date.
var check = args.Contains("--check");
var path = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? CrdGenerator.DefaultPath;
string generated;
try
{
    generated = CrdGenerator.Render();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"crdgen: {e.Message}");
    return 2;
}

if (check)
{
    var current = File.Exists(path) ? File.ReadAllText(path) : null;
    if (current == generated)
    {
        Console.WriteLine($"crdgen: {path} is up to date");
        return 0;
    }

    Console.Error.WriteLine($"crdgen: {path} is out of date; regenerate with: dotnet run --project api/Wavelet.CrdGen -- {path}");
    return 1;
}

var directory = Path.GetDirectoryName(Path.GetFullPath(path));
if (directory is not null)
{
    Directory.CreateDirectory(directory);
}

File.WriteAllText(path, generated);
Console.WriteLine($"crdgen: wrote {path}");
return 0;
