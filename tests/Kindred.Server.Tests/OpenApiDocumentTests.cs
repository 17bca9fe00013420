using Kindred.Server.Tests.TestSupport;

namespace Kindred.Server.Tests;

/// <summary>
/// The API's OpenAPI document is committed (docs/openapi.json), so any change to the API shows in review. When this
/// fails after a deliberate change, run the test with KINDRED_UPDATE_OPENAPI=1 to rewrite the file, and commit it.
/// </summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_served_document_matches_the_committed_one()
    {
        using var chat = new EndlessChatClient();
        await using var server = await TestServer.StartAsync(chat: chat);
        var served = (await server.Http.GetStringAsync("/openapi/v1.json")).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var committedPath = Path.Combine(RepositoryRoot(), "docs", "openapi.json");

        if (Environment.GetEnvironmentVariable("KINDRED_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(committedPath, served);
        }

        Assert.True(File.Exists(committedPath), "docs/openapi.json is missing; run with KINDRED_UPDATE_OPENAPI=1.");
        Assert.Equal((await File.ReadAllTextAsync(committedPath)).ReplaceLineEndings("\n"), served);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kindred.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Kindred.sln was not found above the test assembly.");
    }
}
