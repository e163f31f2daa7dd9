using KMeansPS.Imaging.ColorSpaces;
using SixLabors.ImageSharp.PixelFormats;

namespace KMeansPS.Imaging.Metrics;

/// <summary>
/// Row access to an image held either as RGBA pixels or as palette indices, so the metrics can read a
/// quantized image without expanding it to a full RGBA copy.
/// </summary>
internal abstract class PixelRows
{
    protected PixelRows(int width, int height)
    {
        Width = width;
        Height = height;
    }

    public int Width { get; }
    public int Height { get; }

    public abstract void CopyRow(int y, Span<Rgba32> destination);

    /// <summary>
    /// Luma, as <see cref="Luma"/> defines it, of the <paramref name="luma"/>.Length pixels of row <paramref name="y"/>
    /// from column <paramref name="x0"/> on.
    /// </summary>
    public abstract void CopyLumaRow(int y, int x0, Span<float> luma);

    public static PixelRows Of(Rgba32[] pixels, int width, int height) => new Direct(pixels, width, height);

    public static PixelRows Of(byte[] indices, Rgba32[] palette, int width, int height) => new Indexed(indices, palette, width, height);

    /// <summary>
    /// A source at 16 bits a channel: its luma from those values (<see cref="WideColor.Luma"/>), its RGBA rows the
    /// <paramref name="rounded"/> 8-bit pixels.
    /// </summary>
    public static PixelRows Of(Rgba64[] wide, Rgba32[] rounded, int width, int height) => new Wide(wide, rounded, width, height);

    private sealed class Wide : PixelRows
    {
        private readonly Rgba64[] _wide;
        private readonly Rgba32[] _rounded;

        public Wide(Rgba64[] wide, Rgba32[] rounded, int width, int height) : base(width, height)
        {
            if (wide.Length != (long)width * height || rounded.Length != wide.Length)
                throw new ArgumentException("Expected width x height pixels.", nameof(wide));
            _wide = wide;
            _rounded = rounded;
        }

        public override void CopyRow(int y, Span<Rgba32> destination) => _rounded.AsSpan(y * Width, Width).CopyTo(destination);

        public override void CopyLumaRow(int y, int x0, Span<float> luma) => WideColor.Luma(_wide.AsSpan(y * Width + x0, luma.Length), luma);
    }

    private sealed class Direct : PixelRows
    {
        private readonly Rgba32[] _pixels;

        public Direct(Rgba32[] pixels, int width, int height) : base(width, height)
        {
            if (pixels.Length != (long)width * height) throw new ArgumentException("Expected width x height pixels.", nameof(pixels));
            _pixels = pixels;
        }

        public override void CopyRow(int y, Span<Rgba32> destination) => _pixels.AsSpan(y * Width, Width).CopyTo(destination);

        public override void CopyLumaRow(int y, int x0, Span<float> luma) => Luma.Compute(_pixels.AsSpan(y * Width + x0, luma.Length), luma);
    }

    private sealed class Indexed : PixelRows
    {
        private readonly byte[] _indices;
        private readonly Rgba32[] _palette;
        private readonly float[] _paletteLuma;

        public Indexed(byte[] indices, Rgba32[] palette, int width, int height) : base(width, height)
        {
            if (indices.Length != (long)width * height) throw new ArgumentException("Expected width x height indices.", nameof(indices));
            _indices = indices;
            _palette = palette;
            _paletteLuma = new float[256];
            Luma.Compute(palette, _paletteLuma.AsSpan(0, palette.Length));
        }

        public override void CopyLumaRow(int y, int x0, Span<float> luma)
        {
            ReadOnlySpan<byte> row = _indices.AsSpan(y * Width + x0, luma.Length);
            for (int x = 0; x < row.Length; x++) luma[x] = _paletteLuma[row[x]];
        }

        public override void CopyRow(int y, Span<Rgba32> destination)
        {
            ReadOnlySpan<byte> row = _indices.AsSpan(y * Width, Width);
            for (int x = 0; x < row.Length; x++) destination[x] = _palette[row[x]];
        }
    }
}
