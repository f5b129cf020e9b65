namespace Runtime.Cli.Tests.Testing;

/// <summary>A manifest in a file of its own directory, removed when disposed.</summary>
internal sealed class TempManifest : IDisposable
{
    private readonly string _directory;

    private TempManifest(string directory, string path)
    {
        _directory = directory;
        Path = path;
    }

    public string Path { get; }

    public string Directory => _directory;

    public static TempManifest Write(string content, string name = "manifest.yaml")
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("meshctl-manifests-").FullName;
        var path = System.IO.Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return new TempManifest(directory, path);
    }

    public void Dispose() => System.IO.Directory.Delete(_directory, recursive: true);
}
