namespace Runtime.Cli.Manifests;

/// <summary>
/// Expands <c>-f</c> values the way kubectl does: a file, a directory (its <c>.yaml</c>, <c>.yml</c> and
/// <c>.json</c> files in name order; sub-directories too with <c>-R</c>), or <c>-</c> for standard input.
/// </summary>
internal static class ManifestSources
{
    private static readonly string[] Extensions = [".yaml", ".yml", ".json"];

    public static IReadOnlyList<ManifestText> Read(IReadOnlyList<string> paths, bool recursive, TextReader stdin)
    {
        if (paths.Count == 0)
        {
            throw new CliException("no manifests given: pass -f FILE, -f DIR or -f - (standard input)");
        }

        var manifests = new List<ManifestText>();
        var stdinUsed = false;
        foreach (var path in paths)
        {
            if (path == "-")
            {
                if (stdinUsed)
                {
                    throw new CliException("-f - (standard input) can be given only once");
                }

                stdinUsed = true;
                manifests.Add(new ManifestText("-", stdin.ReadToEnd()));
            }
            else if (Directory.Exists(path))
            {
                var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
                var files = Directory.EnumerateFiles(path, "*", option)
                    .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                {
                    throw new CliException($"directory '{path}' holds no .yaml, .yml or .json files{(recursive ? "" : " (use -R to include sub-directories)")}");
                }

                manifests.AddRange(files.Select(ReadFile));
            }
            else
            {
                manifests.Add(ReadFile(path));
            }
        }

        return manifests;
    }

    private static ManifestText ReadFile(string path)
    {
        try
        {
            return new ManifestText(path, File.ReadAllText(path));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "no such file or directory" : ex.Message;
            throw new CliException($"cannot read '{path}': {reason}");
        }
    }
}
