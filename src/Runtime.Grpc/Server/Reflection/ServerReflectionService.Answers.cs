using Google.Protobuf.Reflection;
using Runtime.Grpc.Server.Reflection.V1;

namespace Runtime.Grpc.Server.Reflection;

internal sealed partial class ServerReflectionService
{
    /// <summary>Answers one reflection request; lookup failures become an error_response, not a call error.</summary>
    internal static ServerReflectionResponse Answer(DescriptorIndex index, ServerReflectionRequest request)
    {
        var response = new ServerReflectionResponse { ValidHost = request.Host, OriginalRequest = request };
        switch (request.MessageRequestCase)
        {
            case ServerReflectionRequest.MessageRequestOneofCase.ListServices:
                var list = new ListServiceResponse();
                list.Service.Add(index.ServiceNames.Select(name => new ServiceResponse { Name = name }));
                response.ListServicesResponse = list;
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileByFilename:
                SetFile(response, index.FindFileByName(request.FileByFilename), $"file {request.FileByFilename}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingSymbol:
                SetFile(response, index.FindFileBySymbol(request.FileContainingSymbol), $"symbol {request.FileContainingSymbol}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.FileContainingExtension:
                var extension = request.FileContainingExtension;
                SetFile(
                    response,
                    index.FindFileByExtension(extension.ContainingType, extension.ExtensionNumber),
                    $"extension {extension.ExtensionNumber} of {extension.ContainingType}");
                break;
            case ServerReflectionRequest.MessageRequestOneofCase.AllExtensionNumbersOfType:
                if (index.FindExtensionNumbers(request.AllExtensionNumbersOfType) is { } numbers)
                {
                    var extensions = new ExtensionNumberResponse { BaseTypeName = request.AllExtensionNumbersOfType };
                    extensions.ExtensionNumber.Add(numbers);
                    response.AllExtensionNumbersResponse = extensions;
                }
                else
                {
                    response.ErrorResponse = NotFound($"message type {request.AllExtensionNumbersOfType}");
                }

                break;
            default:
                response.ErrorResponse = new ErrorResponse
                {
                    ErrorCode = (int)GrpcStatusCode.InvalidArgument,
                    ErrorMessage = "The request sets none of the known message_request fields.",
                };
                break;
        }

        return response;
    }

    private static void SetFile(ServerReflectionResponse response, FileDescriptor? file, string what)
    {
        if (file is null)
        {
            response.ErrorResponse = NotFound(what);
            return;
        }

        var files = new FileDescriptorResponse();
        files.FileDescriptorProto.Add(DescriptorIndex.WithDependencies(file));
        response.FileDescriptorResponse = files;
    }

    private static ErrorResponse NotFound(string what) =>
        new() { ErrorCode = (int)GrpcStatusCode.NotFound, ErrorMessage = $"{what} not found." };
}
