using Bookinfo;

// One executable, several roles, so the demo needs a single build:
//   Bookinfo productpage --port N     calls reviews through its sidecar (HTTP_PROXY)
//   Bookinfo reviews --version vN --port N   v2 and v3 call ratings; v3 is a little slower
//   Bookinfo ratings --port N
//   Bookinfo traffic --proxy URL [--seconds N] [--warmup N]  drives productpage through a sidecar and shows live
//                                  results; the first --warmup seconds of traffic are not counted (then N more run)
var role = args.Length > 0 ? args[0] : "";
string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

return role switch
{
    "productpage" or "reviews" or "ratings" => await Services.RunAsync(role, Arg("--version", "v1"), int.Parse(Arg("--port", "9080"), System.Globalization.CultureInfo.InvariantCulture)),
    "traffic" => await TrafficDriver.RunAsync(new Uri(Arg("--proxy", "http://127.0.0.1:15001")), int.Parse(Arg("--seconds", "0"), System.Globalization.CultureInfo.InvariantCulture), int.Parse(Arg("--warmup", "0"), System.Globalization.CultureInfo.InvariantCulture)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Bookinfo productpage|reviews|ratings [--version vN] [--port N] | traffic --proxy URL [--seconds N] [--warmup N]");
    return 2;
}
