using Runtime.Abstractions.Networking;

namespace Runtime.Abstractions.Analysis;

/// <summary>Every place a VirtualService sends traffic: HTTP routes and mirrors, TLS and TCP routes, with their paths.</summary>
internal static class RouteDestinations
{
    public static IEnumerable<(string Path, Destination Destination)> Of(VirtualServiceSpec spec)
    {
        foreach (var (route, i) in (spec.Http ?? []).Select((r, i) => (r, i)))
        {
            foreach (var (target, j) in (route.Route ?? []).Select((t, j) => (t, j)))
            {
                if (target.Destination is { } destination)
                {
                    yield return ($"spec.http[{i}].route[{j}].destination", destination);
                }
            }

            if (route.Mirror is { } mirror)
            {
                yield return ($"spec.http[{i}].mirror", mirror);
            }

            foreach (var (policy, k) in (route.Mirrors ?? []).Select((m, k) => (m, k)))
            {
                if (policy.Destination is { } destination)
                {
                    yield return ($"spec.http[{i}].mirrors[{k}].destination", destination);
                }
            }
        }

        foreach (var (path, routes) in Layer4(spec))
        {
            foreach (var (target, j) in routes.Select((t, j) => (t, j)))
            {
                if (target.Destination is { } destination)
                {
                    yield return ($"{path}.route[{j}].destination", destination);
                }
            }
        }
    }

    private static IEnumerable<(string Path, IReadOnlyList<RouteDestination> Routes)> Layer4(VirtualServiceSpec spec) =>
        (spec.Tls ?? []).Select((r, i) => ($"spec.tls[{i}]", r.Route ?? []))
            .Concat((spec.Tcp ?? []).Select((r, i) => ($"spec.tcp[{i}]", r.Route ?? [])));
}
