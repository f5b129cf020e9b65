using Runtime.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await MeshctlApp.RunAsync(args, new CliConsole(Console.Out, Console.Error, Console.In), cancel.Token);
