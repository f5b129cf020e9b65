using System.Text.Json;

namespace Runtime.Silo.Hosting;

/// <summary>
/// <c>&lt;data-dir&gt;/silo.ports.json</c>: <c>{"grpc":N,"http":M,"pid":P}</c>, so scripts and tests find the
/// ports actually bound (port 0 picks free ones). Written atomically; removed on clean shutdown.
/// </summary>
internal static class PortsFile
{
    public const string FileName = "silo.ports.json";

    public static string Write(string dataDir, int grpcPort, int httpPort)
    {
        var path = Path.Combine(Path.GetFullPath(dataDir), FileName);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("grpc", grpcPort);
            writer.WriteNumber("http", httpPort);
            writer.WriteNumber("pid", Environment.ProcessId);
            writer.WriteEndObject();
        }

        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stale file names a pid that is gone, which readers can check.
        }
    }
}
