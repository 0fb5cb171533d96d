package dev.portside.common.http;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.auth.TokenValidator;
import dev.portside.common.metrics.RequestMetrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * One service's HTTP endpoint: JSON errors in the service's own format for every failure (bad
 * input, unknown paths and methods, oversized bodies, bugs), an {@code x-openstack-request-id} on
 * every response, an access log line and a metrics observation per request, and token validation on
 * every route that is not marked {@link Access#PUBLIC}.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger ACCESS = LoggerFactory.getLogger("portside.access");
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    public static final String REQUEST_ID_HEADER = "x-openstack-request-id";
    private static final String REQUEST_ID_ATTRIBUTE = "portside.request-id";

    private final String service;
    private final Javalin javalin;
    private final List<Route> routes = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** One route a service serves: for the tests that go over every route (policy, fuzzing). */
    public record Route(String method, String path, boolean isPublic) {
    }

    /** Settings every service's server shares. */
    public record Settings(String service, String bindHost, int port, long maxBodyBytes) {
    }

    public ApiServer(Settings settings, ErrorFormat errors, TokenValidator tokens, Consumer<Javalin> register) {
        this(settings, errors, tokens, register, RequestMetrics.unregistered());
    }

    /** A server whose requests are counted in {@code metrics}. */
    public ApiServer(Settings settings, ErrorFormat errors, TokenValidator tokens, Consumer<Javalin> register,
                     RequestMetrics metrics) {
        this.service = settings.service();
        this.javalin = Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.events.handlerAdded(info -> {
                if (info.getHttpMethod().isHttpMethod()) {
                    routes.add(new Route(info.getHttpMethod().name(), info.getPath(),
                            info.getRoles().contains(Access.PUBLIC)));
                }
            });
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.router.ignoreTrailingSlashes = true;
            config.router.treatMultipleSlashesAsSingleSlash = true;
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new ParserFaults(http));
                connector.setHost(settings.bindHost());
                connector.setPort(settings.port());
                return connector;
            });
            ProtocolErrors protocolErrors = new ProtocolErrors(errors);
            config.jetty.modifyServer(server -> server.setErrorHandler(protocolErrors));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(protocolErrors));
            config.requestLogger.http((ctx, millis) -> {
                ACCESS.info("{} {} {} {} {} {}ms", service, ctx.attribute(REQUEST_ID_ATTRIBUTE), ctx.method(), ctx.path(),
                        ctx.statusCode(), String.format("%.1f", millis));
                metrics.observe(service, route(ctx), ctx.method().name(), ctx.statusCode(), millis / 1000);
            });
        });
        javalin.before(ctx -> {
            String requestId = "req-" + UUID.randomUUID();
            ctx.attribute(REQUEST_ID_ATTRIBUTE, requestId);
            ctx.header(REQUEST_ID_HEADER, requestId);
        });
        javalin.beforeMatched(ctx -> {
            if (!ctx.routeRoles().contains(Access.PUBLIC)) {
                ctx.attribute(Requests.AUTH_ATTRIBUTE, authenticate(tokens, ctx));
            }
        });
        javalin.exception(ApiException.class, (error, ctx) -> fail(ctx, errors, error));
        javalin.exception(HttpResponseException.class, (error, ctx) -> fail(ctx, errors, fromJavalin(error)));
        javalin.exception(Exception.class, (error, ctx) -> {
            Optional<ApiException> clients = ClientFaults.of(error);
            if (clients.isPresent()) {
                LOG.info("{} {} {} answered {}: {}", ctx.attribute(REQUEST_ID_ATTRIBUTE), ctx.method(), ctx.path(),
                        clients.get().status(), rootCause(error));
                fail(ctx, errors, clients.get());
                return;
            }
            LOG.error("{} {} {} failed", ctx.attribute(REQUEST_ID_ATTRIBUTE), ctx.method(), ctx.path(), error);
            fail(ctx, errors, new ApiException(500, "InternalServerError",
                    "An unexpected error prevented the server from fulfilling your request."));
        });
        register.accept(javalin);
    }

    // The pattern the request matched; none for a request no route took (404, 405, a refused frame).
    private static String route(Context ctx) {
        try {
            String pattern = ctx.endpointHandlerPath();
            return pattern.isEmpty() ? RequestMetrics.UNMATCHED : pattern;
        } catch (RuntimeException unmatched) {
            return RequestMetrics.UNMATCHED;
        }
    }

    private static AuthContext authenticate(TokenValidator tokens, Context ctx) {
        String token = ctx.header("X-Auth-Token");
        if (token == null || token.isBlank()) {
            throw ApiException.unauthorized();
        }
        Optional<AuthContext> auth = tokens.validate(token.trim());
        return auth.orElseThrow(ApiException::unauthorized);
    }

    private static String rootCause(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.toString();
    }

    private static ApiException fromJavalin(HttpResponseException error) {
        int status = error.getStatus();
        String message = switch (status) {
            case 404 -> "The resource could not be found.";
            case 405 -> "The method is not allowed for the requested URL.";
            case 413 -> "The request body is larger than this server accepts.";
            default -> error.getMessage();
        };
        return new ApiException(status, HttpStatusTitles.of(status).replace(" ", ""), message);
    }

    private static void fail(Context ctx, ErrorFormat errors, ApiException error) {
        if (error.status() == 401) {
            ctx.header("WWW-Authenticate", "Keystone uri=\"" + Requests.baseUrl(ctx) + "\"");
        }
        Requests.respond(ctx, error.status(), errors.render(error));
    }

    /** The id this server gave the request, as its {@value #REQUEST_ID_HEADER} header says. */
    public static String requestId(io.javalin.http.Context ctx) {
        String id = ctx.attribute(REQUEST_ID_ATTRIBUTE);
        return id == null ? "req-unknown" : id;
    }

    /** Binds and starts serving; a port already in use fails here with a message that says so. */
    public ApiServer start() {
        javalin.start();
        return this;
    }

    public int port() {
        return javalin.port();
    }

    /** Every route this server serves, in the order its API registered them. */
    public List<Route> routes() {
        return List.copyOf(routes);
    }

    public String service() {
        return service;
    }

    @Override
    public void close() {
        javalin.stop();
    }
}
