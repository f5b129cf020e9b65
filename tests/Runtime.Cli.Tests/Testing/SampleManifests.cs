namespace Runtime.Cli.Tests.Testing;

/// <summary>Small manifests the CLI tests apply, as text; <see cref="TempManifest"/> puts one in a file.</summary>
internal static class SampleManifests
{
    public const string Reviews = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: reviews
          namespace: bookinfo
          labels:
            app: reviews
        spec:
          hosts:
          - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
        ---
        apiVersion: networking.istio.io/v1beta1
        kind: DestinationRule
        metadata:
          name: reviews
          namespace: bookinfo
        spec:
          host: reviews
          subsets:
          - name: v1
            labels:
              version: v1
        """;

    public const string Invalid = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: broken
        spec:
          hosts: [broken]
          http:
          - route:
            - destination:
                host: broken
              weight: -5
            retries:
              attempts: -1
        """;

}
