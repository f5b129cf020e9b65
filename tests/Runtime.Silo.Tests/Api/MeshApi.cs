using Google.Protobuf;
using Runtime.Grpc.Client;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Tests.Api;

/// <summary>Typed calls to the management API for tests, each bounded by a deadline.</summary>
internal static class MeshApi
{
    private static readonly GrpcCallOptions Options = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<V1.ApplyResponse> ApplyAsync(this GrpcClient client, string manifest, string source = "test.yaml", bool dryRun = false)
    {
        var request = new V1.ApplyRequest { DryRun = dryRun };
        request.Manifests.Add(new V1.Manifest { Source = source, Content = manifest });
        return client.CallAsync("ConfigService/Apply", request, V1.ApplyResponse.Parser);
    }

    public static Task<V1.Resource> GetAsync(this GrpcClient client, string kind, string ns, string name) =>
        client.CallAsync("ConfigService/Get", new V1.GetRequest { Kind = kind, Namespace = ns, Name = name }, V1.Resource.Parser);

    public static Task<V1.ListResponse> ListAsync(this GrpcClient client, string kind = "", string ns = "", bool all = true, string selector = "") =>
        client.CallAsync("ConfigService/List", new V1.ListRequest { Kind = kind, Namespace = ns, AllNamespaces = all, LabelSelector = selector }, V1.ListResponse.Parser);

    public static Task<TResponse> CallAsync<TRequest, TResponse>(this GrpcClient client, string method, TRequest request, MessageParser<TResponse> parser)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse> =>
        client.UnaryAsync("/runtime.mesh.v1." + method, request, parser, Options);
}
