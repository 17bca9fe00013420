namespace Kindred.Cli.Tests.TestSupport;

/// <summary>A fresh data folder for one test, removed afterwards.</summary>
internal sealed class DataDirectory : IDisposable
{
    public DataDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kindred-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

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
