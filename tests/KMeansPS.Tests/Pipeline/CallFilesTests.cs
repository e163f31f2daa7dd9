using KMeansPS.Pipeline;
using Xunit;

namespace KMeansPS.Tests.Pipeline;

public sealed class CallFilesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kmeansps-callfiles-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string NewFile(string name, string text = "x")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Action Write(string path, string text) => () => File.WriteAllText(path, text);

    [Fact]
    public void An_output_that_is_an_input_by_any_name_is_refused_even_with_Force()
    {
        string a = NewFile("a.png", "a"), other = NewFile("other.png", "o");
        var files = new CallFiles();
        files.AddInput(a);
        files.AddInput(other);
        Assert.Equal(ErrorIds.OutputIsSource, Assert.Throws<OutputRefusedException>(() => files.Claim(a, a, force: true)).ErrorId);
        var asInput = Assert.Throws<OutputRefusedException>(() => files.Claim(other, a, force: true));
        Assert.Equal(ErrorIds.OutputIsInput, asInput.ErrorId);
        Assert.Contains(a, asInput.Message, StringComparison.Ordinal);
        Assert.Contains(other, asInput.Message, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            string link = Path.Combine(_dir, "src_link.png");
            File.CreateSymbolicLink(link, a);
            var viaLink = new CallFiles();
            viaLink.AddInput(link);
            Assert.Equal(ErrorIds.OutputIsSource, Assert.Throws<OutputRefusedException>(() => viaLink.Claim(a, link, force: true)).ErrorId);
        }
    }

    [Fact]
    public void An_input_this_call_has_written_is_not_read()
    {
        string x = NewFile("x.png");
        string output = Path.Combine(_dir, "x-k8.png");
        var files = new CallFiles();
        files.AddInput(x);
        OutputClaim claim = files.Claim(output, x, force: false);
        claim.Publish(Write(output, "out"), force: false, TestContext.Current.CancellationToken);
        var ex = Assert.Throws<OutputRefusedException>(() => files.AddInput(output));
        Assert.Equal(ErrorIds.InputIsOutput, ex.ErrorId);
        Assert.Contains(x, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_that_arrives_before_its_name_is_published_stops_the_publish()
    {
        string x = NewFile("x.png"), later = NewFile("x-k8.png", "keep me");
        var files = new CallFiles();
        files.AddInput(x);
        OutputClaim claim = files.Claim(later, x, force: true);
        files.AddInput(later);
        var ex = Assert.Throws<OutputRefusedException>(() => claim.Publish(Write(later, "replaced"), force: true, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorIds.OutputIsInput, ex.ErrorId);
        Assert.Equal("keep me", File.ReadAllText(later));
    }

    [Fact]
    public async Task A_name_goes_to_the_first_input_that_is_written_in_input_order()
    {
        string out1 = Path.Combine(_dir, "same.png");
        var files = new CallFiles();
        OutputClaim first = files.Claim(out1, "first.png", force: false);
        OutputClaim second = files.Claim(out1, "second.png", force: false);
        OutputClaim third = files.Claim(out1, "third.png", force: false);

        // The second waits for the first, which then fails (a bad file) and gives the name up.
        var waiting = Task.Run(() => second.Publish(Write(out1, "second"), force: false, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.False(waiting.IsCompleted);
        first.Release();
        await waiting;
        Assert.Equal("second", File.ReadAllText(out1));

        var ex = Assert.Throws<OutputRefusedException>(() => third.Publish(Write(out1, "third"), force: true, TestContext.Current.CancellationToken));
        Assert.Equal(ErrorIds.OutputExists, ex.ErrorId);
        Assert.Contains("second.png", ex.Message, StringComparison.Ordinal);
        Assert.Equal("second", File.ReadAllText(out1));
        Assert.Equal(ErrorIds.OutputExists, Assert.Throws<OutputRefusedException>(() => files.Claim(out1, "fourth.png", force: true)).ErrorId);
    }

    [Fact]
    public void Devices_and_folders_are_never_outputs_and_existing_files_need_Force()
    {
        var files = new CallFiles();
        string existing = NewFile("exists.png");
        Assert.Equal(ErrorIds.OutputExists, Assert.Throws<OutputRefusedException>(() => files.Claim(existing, "s.png", force: false)).ErrorId);
        files.Claim(existing, "s.png", force: true).Release();
        var folder = Assert.Throws<OutputRefusedException>(() => files.Claim(_dir, "s.png", force: true));
        Assert.Equal(ErrorIds.FileWriteError, folder.ErrorId);
        Assert.StartsWith("Could not write", folder.Message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            var device = Assert.Throws<OutputRefusedException>(() => files.Claim("/dev/null", "s.png", force: true));
            Assert.Equal(ErrorIds.FileWriteError, device.ErrorId);
            Assert.Contains("device", device.Message, StringComparison.Ordinal);
        }
    }
}
