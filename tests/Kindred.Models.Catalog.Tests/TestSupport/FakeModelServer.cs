using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Kindred.Models.Catalog;

namespace Kindred.Models.Catalog.Tests.TestSupport;

/// <summary>
/// An in-process stand-in for a model host: an <see cref="HttpMessageHandler"/> that serves one file and honours
/// range requests unless told not to. No sockets are opened.
/// </summary>
internal sealed class FakeModelServer : HttpMessageHandler
{
    public FakeModelServer(int size = 300_000, int seed = 7)
    {
        Content = new byte[size];
        new Random(seed).NextBytes(Content);
        Entry = new ModelCatalogEntry(
            "test-model",
            "test-model.gguf",
            new Uri("https://models.example/org/repo/resolve/0123/test-model.gguf"),
            Convert.ToHexStringLower(SHA256.HashData(Content)),
            Content.Length,
            "MIT",
            "A synthetic file for tests.");
    }

    public byte[] Content { get; }

    public ModelCatalogEntry Entry { get; }

    public List<HttpRequestMessage> Requests { get; } = [];

    /// <summary>Answers every request with 200 and the whole file, as servers without range support do.</summary>
    public bool IgnoreRanges { get; set; }

    /// <summary>When set, answers requests instead of the default file serving.</summary>
    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>>? Respond { get; set; }

    /// <summary>When set, wraps the body stream of each served response.</summary>
    public Func<Stream, Stream>? WrapBody { get; set; }

    public HttpClient CreateClient() => new(this, disposeHandler: false);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        return Respond is not null ? Respond(request, cancellationToken) : Task.FromResult(Serve(request));
    }

    public HttpResponseMessage Serve(HttpRequestMessage request)
    {
        var from = IgnoreRanges ? null : request.Headers.Range?.Ranges.Single().From;
        if (from is null)
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = Body(Content) };
        }

        if (from >= Content.Length)
        {
            return new HttpResponseMessage(HttpStatusCode.RequestedRangeNotSatisfiable);
        }

        var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = Body(Content[(int)from.Value..]) };
        response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from.Value, Content.Length - 1, Content.Length);
        return response;
    }

    private StreamContent Body(byte[] bytes)
    {
        var stream = WrapBody is null ? new MemoryStream(bytes) : WrapBody(new MemoryStream(bytes));
        var content = new StreamContent(stream);
        content.Headers.ContentLength = bytes.Length;
        return content;
    }
}

/// <summary>Reports on the caller's thread, in order (unlike <see cref="Progress{T}"/>, which posts).</summary>
internal sealed class RecordingProgress<T>(Action<T>? onReport = null) : IProgress<T>
{
    public List<T> Reports { get; } = [];

    public void Report(T value)
    {
        Reports.Add(value);
        onReport?.Invoke(value);
    }
}
