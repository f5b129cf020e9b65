using Runtime.Cli;

namespace Runtime.Cli.Tests.Testing;

/// <summary>Runs meshctl in-process and captures what it prints.</summary>
internal static class Meshctl
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static async Task<MeshctlResult> RunAsync(string server, string? stdin, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var cancel = new CancellationTokenSource(Timeout);
        var all = server.Length == 0 ? args : [.. args, "--server", server];
        var exit = await MeshctlApp.RunAsync(all, new CliConsole(output, error, new StringReader(stdin ?? "")), cancel.Token).WaitAsync(Timeout);
        return new MeshctlResult(exit, output.ToString(), error.ToString());
    }
}
