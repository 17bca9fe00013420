namespace Kindred.Cli.Tests.TestSupport;

/// <summary>A fresh data folder for one test, removed afterwards.</summary>
internal sealed class DataDirectory : IDisposable
{
    public DataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kindred-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);

        // Short replies keep runs quick on a slow, loaded machine: what a test checks never depends on how long
        // stories260K goes on. A test that needs other settings writes its own config over this one.
        WriteConfig(ShortReplies);
    }

    /// <summary>The config every data folder starts with: replies of at most 24 tokens.</summary>
    public const string ShortReplies = """{ "Companion": { "MaxReplyTokens": 24 } }""";

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void WriteConfig(string json) => System.IO.File.WriteAllText(File("kindred.json"), json);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A killed child may still hold a file for a moment; the temp folder is cleaned by the OS anyway.
        }
    }
}
