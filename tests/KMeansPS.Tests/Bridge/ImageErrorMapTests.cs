using KMeansPS.Bridge;
using Xunit;

namespace KMeansPS.Tests.Bridge;

/// <summary>Every image error names its file: running out of memory outside the decoder has only the runtime's words.</summary>
public class ImageErrorMapTests
{
    [Fact]
    public void Running_out_of_memory_anywhere_names_the_file()
    {
        var oom = new InsufficientMemoryException(); // an OutOfMemoryException, as the runtime throws it
        Exception named = ImageErrorMap.Named(oom, "/photos/big.png");
        Assert.Contains("'/photos/big.png'", named.Message, StringComparison.Ordinal);
        Assert.Same(oom, named.InnerException);
        Assert.DoesNotContain("/photos/big.png", oom.Message, StringComparison.Ordinal); // what the record carried before
    }

    [Fact]
    public void Other_errors_keep_their_own_words()
    {
        var io = new IOException("Could not read '/photos/a.png': gone.");
        Assert.Same(io, ImageErrorMap.Named(io, "/photos/a.png"));
    }
}
