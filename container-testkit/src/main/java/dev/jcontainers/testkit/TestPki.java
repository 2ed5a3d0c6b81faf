package dev.jcontainers.testkit;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away keys and certificates for tests, made in-process: a CA, a server certificate for
 * 127.0.0.1 signed by it, and self-signed signing certificates. All keys are EC P-256.
 */
public final class TestPki {

    /** A key pair with its certificate. */
    public record KeyAndCertificate(KeyPair keyPair, X509Certificate certificate) {
        public PrivateKey privateKey() {
            return keyPair.getPrivate();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration VALIDITY = Duration.ofDays(2);

    private TestPki() {
    }

    public static KeyPair newEcKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("EC P-256 unavailable", e);
        }
    }

    /** A self-signed CA certificate (may sign other certificates). */
    public static KeyAndCertificate newCertificateAuthority(String commonName) {
        KeyPair keys = newEcKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        return new KeyAndCertificate(keys, sign(builder(name, name, keys, true)
                .addKeyUsage(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature)), keys.getPrivate()));
    }

    /** A TLS server certificate for 127.0.0.1 and localhost, signed by {@code ca}. */
    public static KeyAndCertificate newServerCertificate(KeyAndCertificate ca) {
        KeyPair keys = newEcKeyPair();
        X500Name subject = new X500Name("CN=127.0.0.1");
        X500Name issuer = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded());
        CertBuilder builder = builder(issuer, subject, keys, false)
                .addKeyUsage(new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment))
                .add(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                .add(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                        new GeneralName(GeneralName.dNSName, "localhost")}))
                .authorityKey(ca.certificate());
        return new KeyAndCertificate(keys, sign(builder, ca.privateKey()));
    }

    /** A self-signed leaf certificate for signing (e.g. JWTs), not a CA. */
    public static KeyAndCertificate newSigningCertificate(String commonName) {
        KeyPair keys = newEcKeyPair();
        X500Name name = new X500Name("CN=" + commonName);
        return new KeyAndCertificate(keys, sign(builder(name, name, keys, false)
                .addKeyUsage(new KeyUsage(KeyUsage.digitalSignature)), keys.getPrivate()));
    }

    /** PEM text of a certificate, or of a private key as unencrypted PKCS#8 ({@code PRIVATE KEY}). */
    public static String pem(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PrivateKey key) {
                writer.writeObject(new JcaPKCS8Generator(key, null));
            } else {
                writer.writeObject(object);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** A client-side context that trusts exactly {@code ca}. */
    public static SSLContext trusting(X509Certificate ca) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build trust context", e);
        }
    }

    /** A server-side context presenting {@code server} (with its issuer in the chain). */
    public static SSLContext serving(KeyAndCertificate server, X509Certificate issuer) {
        try {
            char[] password = "testkit".toCharArray();
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("server", server.privateKey(), password,
                    new X509Certificate[] {server.certificate(), issuer});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build server TLS context", e);
        }
    }

    private static CertBuilder builder(X500Name issuer, X500Name subject, KeyPair keys, boolean ca) {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                new BigInteger(64, RANDOM).add(BigInteger.ONE),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
        return new CertBuilder(builder, keys)
                .add(Extension.basicConstraints, true, new BasicConstraints(ca))
                .subjectKey();
    }

    private static X509Certificate sign(CertBuilder builder, PrivateKey issuerKey) {
        try {
            return new JcaX509CertificateConverter().getCertificate(
                    builder.builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign certificate", e);
        }
    }

    /** Adds extensions without the checked-exception noise of the BC builder. */
    private record CertBuilder(X509v3CertificateBuilder builder, KeyPair keys) {
        CertBuilder add(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical,
                org.bouncycastle.asn1.ASN1Encodable value) {
            try {
                builder.addExtension(oid, critical, value);
            } catch (CertIOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        CertBuilder addKeyUsage(KeyUsage usage) {
            return add(Extension.keyUsage, true, usage);
        }

        CertBuilder subjectKey() {
            return add(Extension.subjectKeyIdentifier, false, utils().createSubjectKeyIdentifier(keys.getPublic()));
        }

        CertBuilder authorityKey(X509Certificate issuer) {
            try {
                return add(Extension.authorityKeyIdentifier, false, utils().createAuthorityKeyIdentifier(issuer));
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        private static JcaX509ExtensionUtils utils() {
            try {
                return new JcaX509ExtensionUtils();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
