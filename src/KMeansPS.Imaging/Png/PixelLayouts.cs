using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace KMeansPS.Imaging.Png;

/// <summary>How one format's raw bytes become four-lane pixels, and how the finished pixel is completed.</summary>
internal interface IPixelLayout
{
    static abstract int BytesPerPixel { get; }

    /// <summary>Pixel <paramref name="x"/> of the raw row, channels in their lanes; spare lanes hold anything.</summary>
    static abstract uint Load(ref byte raw, nint x);

    /// <summary>Pixels <paramref name="x"/> to x + 3.</summary>
    static abstract Vector128<byte> Load4(ref byte raw, nint x);

    /// <summary>Sets the spare lanes: alpha 255 where there is no alpha, grey copied to G and B.</summary>
    static abstract uint Fix(uint pixel);

    static abstract Vector128<byte> Fix(Vector128<byte> pixels);
}

internal readonly struct RgbaLayout : IPixelLayout
{
    public static int BytesPerPixel => 4;
    public static uint Load(ref byte raw, nint x) => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref raw, x * 4));
    public static Vector128<byte> Load4(ref byte raw, nint x) => Vector128.LoadUnsafe(ref raw, (nuint)(x * 4));
    public static uint Fix(uint pixel) => pixel;
    public static Vector128<byte> Fix(Vector128<byte> pixels) => pixels;
}

internal readonly struct RgbLayout : IPixelLayout
{
    public static int BytesPerPixel => 3;
    public static uint Load(ref byte raw, nint x) => Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref raw, x * 3));
    public static Vector128<byte> Load4(ref byte raw, nint x) =>
        Vector128.Shuffle(Vector128.LoadUnsafe(ref raw, (nuint)(x * 3)), Vector128.Create((byte)0, 1, 2, 0xFF, 3, 4, 5, 0xFF, 6, 7, 8, 0xFF, 9, 10, 11, 0xFF));
    public static uint Fix(uint pixel) => pixel | 0xFF000000u;
    public static Vector128<byte> Fix(Vector128<byte> pixels) => pixels | Vector128.Create(0xFF000000u).AsByte();
}

internal readonly struct GreyLayout : IPixelLayout
{
    public static int BytesPerPixel => 1;
    public static uint Load(ref byte raw, nint x) => Unsafe.Add(ref raw, x);
    public static Vector128<byte> Load4(ref byte raw, nint x) =>
        Vector128.Shuffle(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref raw, x))).AsByte(),
            Vector128.Create((byte)0, 0xFF, 0xFF, 0xFF, 1, 0xFF, 0xFF, 0xFF, 2, 0xFF, 0xFF, 0xFF, 3, 0xFF, 0xFF, 0xFF));
    public static uint Fix(uint pixel) => (pixel & 0xFFu) * 0x010101u | 0xFF000000u;
    public static Vector128<byte> Fix(Vector128<byte> pixels) =>
        Vector128.Shuffle(pixels, Vector128.Create((byte)0, 0, 0, 0xFF, 4, 4, 4, 0xFF, 8, 8, 8, 0xFF, 12, 12, 12, 0xFF))
        | Vector128.Create(0xFF000000u).AsByte();
}

internal readonly struct GreyAlphaLayout : IPixelLayout
{
    public static int BytesPerPixel => 2;
    public static uint Load(ref byte raw, nint x)
    {
        uint pair = Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref raw, x * 2));
        return (pair & 0xFFu) | (pair >> 8) << 24;
    }
    public static Vector128<byte> Load4(ref byte raw, nint x) =>
        Vector128.Shuffle(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref raw, x * 2))).AsByte(),
            Vector128.Create((byte)0, 0xFF, 0xFF, 1, 2, 0xFF, 0xFF, 3, 4, 0xFF, 0xFF, 5, 6, 0xFF, 0xFF, 7));
    public static uint Fix(uint pixel) => (pixel & 0xFFu) * 0x010101u | (pixel & 0xFF000000u);
    public static Vector128<byte> Fix(Vector128<byte> pixels) =>
        Vector128.Shuffle(pixels, Vector128.Create((byte)0, 0, 0, 3, 4, 4, 4, 7, 8, 8, 8, 11, 12, 12, 12, 15));
}
