using System.CommandLine;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl x ...</c>: experimental commands (istioctl's <c>x</c>), whose output may still change. Each
/// subcommand is one line below.
/// </summary>
internal static class ExperimentalCommand
{
    public static Command Create(CliConsole console) => new("x", "Experimental commands; their output may change between versions")
    {
        AuthzCommand.Create(console), // meshctl x authz check
        TlsCheckCommand.Create(console), // meshctl x tls-check
    };
}
