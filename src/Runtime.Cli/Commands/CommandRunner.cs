using System.CommandLine;

namespace Runtime.Cli.Commands;

/// <summary>Runs a command body and turns its failures into <c>error:</c> lines and exit code 1.</summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parse, cancellationToken) =>
        {
            try
            {
                return await body(parse, cancellationToken).ConfigureAwait(false);
            }
            catch (CliException ex)
            {
                foreach (var line in ex.Lines)
                {
                    await console.Error.WriteLineAsync(line).ConfigureAwait(false);
                }

                return 1;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 130;
            }
        });
}
