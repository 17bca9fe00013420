using System.Net;
using System.Text.RegularExpressions;
using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>The web app's files, served from the server assembly itself.</summary>
public sealed partial class WebAppAssetsTests : IAsyncLifetime
{
    private TestServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(chat: new EndlessChatClient());

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task The_root_serves_the_page_locked_to_its_own_origin()
    {
        using var response = await _server.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"/app.js\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task Every_module_the_page_imports_is_served_as_javascript()
    {
        var pending = new Queue<string>(["app.js", "pcm-worklet.js"]);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var file))
        {
            if (!seen.Add(file))
            {
                continue;
            }

            using var response = await _server.Http.GetAsync("/" + file);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/{file} answered {response.StatusCode}.");
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            foreach (Match import in ModuleImport().Matches(await response.Content.ReadAsStringAsync()))
            {
                pending.Enqueue(import.Groups["file"].Value);
            }
        }

        Assert.Contains("page-talk.js", seen);
        Assert.Contains("voice.js", seen);
    }

    [Fact]
    public async Task A_file_that_is_not_there_is_404_and_the_api_is_untouched()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await _server.Http.GetAsync("/no-such-file.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.Http.GetAsync("/api/companions")).StatusCode);
    }

    // Static imports (`from './x.js'`) and dynamic ones (`import('/x.js')`), as the page's modules write them.
    [GeneratedRegex(@"(?:from\s+|import\()\s*'\.?/(?<file>[\w-]+\.js)'")]
    private static partial Regex ModuleImport();
}
