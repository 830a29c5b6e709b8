package dev.portico.alarm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * STARTTLS in front of a plain SMTP server (GreenMail 2.1's SMTP offers no STARTTLS): it relays the
 * greeting and EHLO, adding {@code STARTTLS} to the EHLO answer; on {@code STARTTLS} it answers
 * 220, does a real TLS handshake with the client (server side, with the key store's certificate)
 * and from then on relays the decrypted session to the server unchanged (the second EHLO, AUTH,
 * MAIL, DATA, ...). It records every client line with whether it came before or after the
 * handshake, so a test can tell that credentials and mail never crossed the wire in clear.
 */
final class StartTlsRelay implements AutoCloseable {
  /** One line the client sent: {@code tls} false before the handshake. */
  record Line(boolean tls, String text) {}

  private final ServerSocket server;
  private final int upstreamPort;
  private final SSLContext tls;
  private final List<Line> lines = Collections.synchronizedList(new ArrayList<>());
  private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());

  StartTlsRelay(int upstreamPort, Path keyStore, char[] password) throws Exception {
    this.upstreamPort = upstreamPort;
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = java.nio.file.Files.newInputStream(keyStore)) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), null, null);
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "starttls-relay");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  List<Line> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** How many TLS handshakes with a client completed. */
  long handshakes() {
    return lines().stream().filter(l -> l.tls() && l.text().startsWith("EHLO")).count();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread session = new Thread(() -> relay(client), "starttls-relay-session");
        session.setDaemon(true);
        session.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void relay(Socket client) {
    try (client;
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
      sockets.add(upstream);
      InputStream fromServer = upstream.getInputStream();
      OutputStream toServer = upstream.getOutputStream();
      InputStream fromClient = client.getInputStream();
      OutputStream toClient = client.getOutputStream();
      write(toClient, reply(fromServer)); // the greeting
      while (true) {
        String line = readLine(fromClient);
        if (line == null) {
          return;
        }
        lines.add(new Line(false, line.strip()));
        String command = line.strip().toUpperCase(java.util.Locale.ROOT);
        if (command.equals("STARTTLS")) {
          write(toClient, "220 2.0.0 Ready to start TLS\r\n");
          SSLSocket secure =
              (SSLSocket)
                  tls.getSocketFactory()
                      .createSocket(client, client.getInetAddress().getHostAddress(), 0, false);
          secure.setUseClientMode(false);
          secure.startHandshake();
          sockets.add(secure);
          Thread down =
              new Thread(() -> pump(fromServer, secureOut(secure)), "starttls-relay-down");
          down.setDaemon(true);
          down.start();
          InputStream decrypted = secure.getInputStream();
          while ((line = readLine(decrypted)) != null) {
            lines.add(new Line(true, line.strip()));
            write(toServer, line);
          }
          return;
        }
        write(toServer, line);
        String answer = reply(fromServer);
        if (command.startsWith("EHLO")) {
          answer = withStartTls(answer);
        }
        write(toClient, answer);
      }
    } catch (IOException ended) {
      // the client or the server closed the session
    }
  }

  private static OutputStream secureOut(SSLSocket socket) {
    try {
      return socket.getOutputStream();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void pump(InputStream in, OutputStream out) {
    byte[] buffer = new byte[8192];
    try {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException ended) {
      // closed
    }
  }

  /** "250-a\r\n250 b\r\n" -> "250-a\r\n250-b\r\n250 STARTTLS\r\n". */
  private static String withStartTls(String answer) {
    String[] replyLines = answer.split("\r\n");
    StringBuilder out = new StringBuilder();
    for (String l : replyLines) {
      out.append(l.substring(0, 3)).append('-').append(l.substring(4)).append("\r\n");
    }
    return out.append("250 STARTTLS\r\n").toString();
  }

  /** A complete SMTP reply: lines up to the one with a space after the code. */
  private static String reply(InputStream in) throws IOException {
    StringBuilder reply = new StringBuilder();
    String line;
    do {
      line = readLine(in);
      if (line == null) {
        throw new IOException("server closed");
      }
      reply.append(line);
    } while (line.length() > 3 && line.charAt(3) == '-');
    return reply.toString();
  }

  /** One line with its CRLF, byte by byte (nothing read beyond it), or null at the end. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        return line.toString(StandardCharsets.UTF_8);
      }
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
    }
  }
}
