package dev.jcontainers.oci.store;

import dev.jcontainers.oci.image.Descriptor;
import dev.jcontainers.oci.image.Digest;
import dev.jcontainers.oci.image.ImageManifest;
import dev.jcontainers.oci.image.MediaTypes;
import dev.jcontainers.oci.image.OciJson;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A valid single-layer OCI image built in memory: one gzip tar layer, its config, its manifest. */
record TinyImage(byte[] layer, byte[] config, byte[] manifest) {

    /** An image whose only file is {@code /hello.txt} holding {@code text}. */
    static TinyImage withFile(String text) {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        byte[] tar = tar("hello.txt", content);
        byte[] layer = gzip(tar);
        String configJson = """
                {"architecture":"amd64","os":"linux","config":{"Cmd":["/bin/sh"]},\
                "rootfs":{"type":"layers","diff_ids":["%s"]},\
                "history":[{"created_by":"TinyImage %s"}]}""".formatted(Digest.sha256(tar), text.hashCode());
        byte[] config = configJson.getBytes(StandardCharsets.UTF_8);
        ImageManifest m = new ImageManifest(2, MediaTypes.OCI_MANIFEST, null,
                Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256(config), config.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.sha256(layer), layer.length)), null, null);
        return new TinyImage(layer, config, OciJson.write(m));
    }

    Descriptor manifestDescriptor() {
        return Descriptor.of(MediaTypes.OCI_MANIFEST, manifestDigest(), manifest.length);
    }

    Digest manifestDigest() {
        return Digest.sha256(manifest);
    }

    Digest configDigest() {
        return Digest.sha256(config);
    }

    Digest layerDigest() {
        return Digest.sha256(layer);
    }

    List<Digest> blobs() {
        return List.of(manifestDigest(), configDigest(), layerDigest());
    }

    /** Stores the three blobs and names the image; returns its manifest descriptor. */
    Descriptor storeAs(OciStore store, String name) {
        store.put(layer, layerDigest());
        store.put(config, configDigest());
        store.put(manifest, manifestDigest());
        store.tag(name, manifestDescriptor());
        return manifestDescriptor();
    }

    private static byte[] tar(String name, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setMode(0644);
            entry.setModTime(0);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
