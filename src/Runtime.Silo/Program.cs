using System.Collections;
using Runtime.Silo.Hosting;

var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
{
    environment[(string)variable.Key] = variable.Value as string;
}

return await SiloHost.RunAsync(args, environment, Console.Out, Console.Error, CancellationToken.None).ConfigureAwait(false);
