using System.CommandLine;
using Runtime.Cli.Commands;

namespace Runtime.Cli;

/// <summary>meshctl's command tree. <see cref="RunAsync"/> is the whole program, so tests run it in-process.</summary>
public static class MeshctlApp
{
    /// <summary>Parses <paramref name="args"/>, runs the command and returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("meshctl: manage the Runtime mesh (Istio-compatible resources, kubectl habits)")
        {
            GlobalOptions.Server,
            GlobalOptions.RequestTimeout,
            ApplyCommand.Create(console),
            GetCommand.Create(console),
            DeleteCommand.Create(console),
            ValidateCommand.Create(console),
            AnalyzeCommand.Create(console),
            ProxyStatusCommand.Create(console),
            ProxyConfigCommand.Create(console),
            VersionCommand.Create(console),
            DashboardCommand.Create(console), // issue 6
            TokenCommand.Create(console),
            CaCommand.Create(console),
            ExperimentalCommand.Create(console), // meshctl x (authz check, tls-check)
        };

        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = console.Out, Error = console.Error };
        return await parse.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
