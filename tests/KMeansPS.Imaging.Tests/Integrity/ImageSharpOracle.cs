using KMeansPS.Imaging.Png;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Tests.Integrity;

/// <summary>What ImageSharp 2.1 makes of a file: its frames' pixels, or the exception it throws.</summary>
internal sealed class ImageSharpOracle
{
    private ImageSharpOracle(int width, int height, Rgba32[][]? frames, Exception? error)
    {
        Width = width;
        Height = height;
        Frames = frames;
        Error = error;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Every frame's pixels; null when decoding threw.</summary>
    public Rgba32[][]? Frames { get; }

    public Exception? Error { get; }

    public static ImageSharpOracle Decode(ReadOnlySpan<byte> file)
    {
        try
        {
            // ImageSharp 2.1 fails on IDAT chunks split inside the zlib header; read the same data joined
            // (IdatCoalescerTests checks the joining against PngWriter's splitting).
            using Image<Rgba32> image = Image.Load<Rgba32>(IdatCoalescer.Coalesce(file.ToArray()));
            var frames = new Rgba32[image.Frames.Count][];
            for (int f = 0; f < frames.Length; f++)
            {
                frames[f] = new Rgba32[image.Width * image.Height];
                image.Frames[f].CopyPixelDataTo(frames[f]);
            }
            return new ImageSharpOracle(image.Width, image.Height, frames, null);
        }
        catch (Exception ex)
        {
            return new ImageSharpOracle(0, 0, null, ex);
        }
    }

    /// <summary>The same size, frame count and pixels.</summary>
    public bool SameImageAs(ImageSharpOracle other)
    {
        if (Frames is null || other.Frames is null || Width != other.Width || Height != other.Height || Frames.Length != other.Frames.Length)
            return false;
        for (int f = 0; f < Frames.Length; f++)
            if (!Frames[f].AsSpan().SequenceEqual(other.Frames[f])) return false;
        return true;
    }
}
