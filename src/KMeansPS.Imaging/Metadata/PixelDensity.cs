using System.Buffers.Binary;

namespace KMeansPS.Imaging.Metadata;

/// <summary>
/// Pixel density as a PNG pHYs chunk holds it: pixels per unit along X and Y, with <see cref="Unit"/> 1 (the metre)
/// or 0 (no unit: X and Y only give the pixels' aspect ratio).
/// </summary>
internal readonly record struct PixelDensity(uint X, uint Y, byte Unit)
{
    /// <summary>Metres per inch.</summary>
    private const double MetresPerInch = 0.0254;

    /// <summary>From dots per inch (<paramref name="perInch"/>) or per centimetre; null for a zero or absurd value.</summary>
    public static PixelDensity? FromUnit(double x, double y, bool perInch)
    {
        double scale = perInch ? 1 / MetresPerInch : 100;
        return Valid(Math.Round(x * scale), Math.Round(y * scale), 1);
    }

    /// <summary>An aspect ratio only (unit 0); null when it is 1:1 (which says nothing) or invalid.</summary>
    public static PixelDensity? Aspect(double x, double y)
    {
        PixelDensity? density = Valid(x, y, 0);
        return density is { } d && d.X == d.Y ? null : density;
    }

    /// <summary>Pixels per metre (a BMP's unit, and pHYs's); null for a zero or absurd value.</summary>
    public static PixelDensity? PerMetre(double x, double y) => Valid(x, y, 1);

    /// <summary>The pHYs data of a source file; null when malformed (not 9 bytes, a zero density, an unknown unit).</summary>
    public static PixelDensity? FromPhys(ReadOnlySpan<byte> data) => data.Length != 9 || data[8] > 1
        ? null
        : Valid(BinaryPrimitives.ReadUInt32BigEndian(data), BinaryPrimitives.ReadUInt32BigEndian(data[4..]), data[8]);

    /// <summary>X and Y exchanged, for pixels turned a quarter.</summary>
    public PixelDensity Transposed() => this with { X = Y, Y = X };

    /// <summary>The nine bytes of a pHYs chunk.</summary>
    public byte[] ToPhys()
    {
        var data = new byte[9];
        BinaryPrimitives.WriteUInt32BigEndian(data, X);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), Y);
        data[8] = Unit;
        return data;
    }

    // PNG stores each as a 31-bit positive number.
    private static PixelDensity? Valid(double x, double y, byte unit) =>
        x is >= 1 and <= int.MaxValue && y is >= 1 and <= int.MaxValue ? new PixelDensity((uint)x, (uint)y, unit) : null;
}
