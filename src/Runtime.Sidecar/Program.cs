using System.Collections;
using Runtime.Sidecar.Hosting;

var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
return await SidecarHost.RunAsync(args, environment, Console.Out, Console.Error, CancellationToken.None);
